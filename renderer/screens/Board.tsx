// The cashier's live view: the kiosk's health at a glance (from the self-check), an order built
// from the menu and sent to the customer screen, and the order board, one column per status,
// kept current by the host's pushes (no refresh). The host checks the session and every step;
// these components show what it answers.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiResult, KioskClient, KioskStatus, MenuItem, Order } from '../../electron/contract/api.js';
import { formatMoney } from '../i18n.js';
import { nextStep, ORDER_STATUSES } from './order-status.js';

/** Orders the board holds, at most (the host keeps the same number). */
const BOARD_ORDERS_MAX = 200;
const HEALTH_POLL_MS = 5_000;
const NOTE_MAX = 200;
const QUANTITY_MAX = 99;

type WithToken = <T>(run: (token: string) => Promise<ApiResult<T>>) => Promise<ApiResult<T> | null>;

export function Health(props: { api: KioskClient }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<KioskStatus | null>(null);
  const [reachable, setReachable] = useState(true);
  useEffect(() => {
    let live = true;
    const poll = (): void =>
      void props.api.status({}).then((r) => {
        if (!live) return;
        setReachable(r.ok);
        if (r.ok) setStatus(r.value);
      });
    poll();
    const timer = setInterval(poll, HEALTH_POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [props.api]);
  const check = (name: string) => status?.checks.find((c) => c.name === name);
  const item = (key: string, ok: boolean | null, text: string) => (
    <li key={key} className={ok === null ? 'check-pending' : ok ? 'check-ok' : 'check-bad'} data-testid={`health-${key}`} data-ok={ok === null ? '' : String(ok)}>
      <span className="check-mark">{ok === null ? '…' : ok ? '✓' : '✗'}</span> <span className="check-name">{t(`board.health.${key}`)}</span> <span className="check-detail">{text}</span>
    </li>
  );
  const cam = check('camera');
  const vision = check('vision');
  const ledger = check('ledger');
  const server = check('settlement');
  const unsynced = status?.sync.unsynced_entries ?? null;
  return (
    <div className="panel health" data-testid="health">
      <h2>{t('board.health.title')}</h2>
      {!reachable && <p className="error">{t('board.health.hostDown')}</p>}
      <ul className="health-list">
        {item('camera', cam ? (cam.pending ? null : cam.ok) : null, cam ? (cam.pending ? t('status.pending') : cam.detail) : '')}
        {item('vision', vision ? (vision.pending ? null : vision.ok) : null, vision ? (vision.pending ? t('status.pending') : vision.detail) : '')}
        {item('ledger', ledger ? ledger.ok : null, ledger ? ledger.detail : '')}
        {item('unsynced', unsynced === null ? null : unsynced === 0, unsynced === null ? '' : t('board.health.unsyncedCount', { count: unsynced }))}
        {item('server', server ? server.ok : null, server ? server.detail : '')}
      </ul>
    </div>
  );
}

export function OrderBuilder(props: { api: KioskClient; withToken: WithToken; onSent: (o: Order) => void; onError: (code: string, message: string) => void }) {
  const { t, i18n } = useTranslation();
  const [menu, setMenu] = useState<MenuItem[]>([]);
  const [currency, setCurrency] = useState('EUR');
  const [qty, setQty] = useState<Record<string, number>>({});
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    void props.api.menu({}).then((r) => {
      if (!r.ok) return;
      setMenu(r.value.items);
      setCurrency(r.value.currency);
    });
  }, [props.api]);
  const total = useMemo(() => menu.reduce((s, m) => s + (qty[m.item_id] ?? 0) * m.price_minor, 0), [menu, qty]);
  const name = (m: MenuItem): string => m.name[i18n.language as 'en' | 'de' | 'zh'] ?? m.name.en;
  const change = (id: string, by: number): void => setQty((q) => ({ ...q, [id]: Math.max(0, Math.min(QUANTITY_MAX, (q[id] ?? 0) + by)) }));
  const send = async (): Promise<void> => {
    const lines = menu.filter((m) => (qty[m.item_id] ?? 0) > 0).map((m) => ({ item_id: m.item_id, quantity: qty[m.item_id]! }));
    if (lines.length === 0) return;
    setBusy(true);
    const r = await props.withToken((token) => props.api.sendOrder({ token, lines, ...(note.trim() ? { note: note.trim() } : {}) }));
    setBusy(false);
    if (!r) return;
    if (!r.ok) return props.onError(r.error.code, r.error.message);
    setQty({});
    setNote('');
    props.onSent(r.value);
  };
  return (
    <form className="panel builder" data-testid="order-builder" onSubmit={(e) => { e.preventDefault(); void send(); }}>
      <h2>{t('board.builderTitle')}</h2>
      <ul className="builder-items">
        {menu.map((m) => (
          <li key={m.item_id} data-testid={`build-item-${m.item_id}`}>
            <span className="builder-name">{name(m)}</span>
            <span className="num">{formatMoney(m.price_minor, currency, i18n.language)}</span>
            <button type="button" data-testid={`build-minus-${m.item_id}`} aria-label={t('order.remove')} disabled={(qty[m.item_id] ?? 0) === 0} onClick={() => change(m.item_id, -1)}>−</button>
            <span className="builder-qty" data-testid={`build-qty-${m.item_id}`}>{qty[m.item_id] ?? 0}</span>
            <button type="button" data-testid={`build-plus-${m.item_id}`} aria-label={t('order.add')} onClick={() => change(m.item_id, 1)}>+</button>
          </li>
        ))}
      </ul>
      <label>{t('board.note')}<input data-testid="build-note" value={note} maxLength={NOTE_MAX} onChange={(e) => setNote(e.target.value)} /></label>
      <p className="total" data-testid="build-total" data-total-minor={total}>{t('order.total')}: {formatMoney(total, currency, i18n.language)}</p>
      <button className="primary" data-testid="build-send" disabled={busy || total === 0}>{t('board.send')}</button>
    </form>
  );
}

export function Board(props: { api: KioskClient; withToken: WithToken; onError: (code: string, message: string) => void }) {
  const { api, withToken, onError } = props;
  const { t, i18n } = useTranslation();
  const [orders, setOrders] = useState<Order[]>([]);
  const [busy, setBusy] = useState<string | null>(null);
  // The latest withToken, without reloading the board each time the parent renders.
  const run = useRef(withToken);
  run.current = withToken;

  useEffect(() => {
    let live = true;
    const load = (): void =>
      void run.current((token) => api.orderBoard({ token })).then((r) => {
        if (live && r?.ok) setOrders(r.value.orders.slice(0, BOARD_ORDERS_MAX));
      });
    // Subscribe first, then load: a change between the two is not lost (the newer one wins).
    const off = api.onOrderChanged((e) => {
      if (e === null) return load();
      setOrders((list) => {
        const at = list.findIndex((o) => o.order_id === e.order.order_id);
        if (at === -1) return [e.order, ...list].slice(0, BOARD_ORDERS_MAX);
        if (list[at]!.updated_at_ms > e.order.updated_at_ms) return list;
        const next = list.slice();
        next[at] = e.order;
        return next;
      });
    });
    load();
    return () => {
      live = false;
      off();
    };
  }, [api]);

  const advance = async (o: Order): Promise<void> => {
    const to = nextStep(o.status);
    if (!to) return;
    setBusy(o.order_id);
    const r = await withToken((token) => api.advanceOrder({ token, order_id: o.order_id, status: to }));
    setBusy(null);
    if (r && !r.ok) onError(r.error.code, r.error.message);
  };

  const money = (o: Order): string => formatMoney(o.total_minor, o.currency, i18n.language);
  const time = (ms: number): string => new Intl.DateTimeFormat(i18n.language, { timeStyle: 'short' }).format(ms);
  return (
    <div className="board" data-testid="board">
      <h2>{t('board.title')}</h2>
      <div className="board-columns">
        {ORDER_STATUSES.map((status) => {
          const here = orders.filter((o) => o.status === status);
          return (
            <section key={status} className={`board-col board-${status}`} data-testid={`board-col-${status}`} data-count={here.length}>
              <h3>{t(`board.status.${status}`)} <span className="board-count">{here.length}</span></h3>
              {here.map((o) => {
                const step = nextStep(o.status);
                return (
                  <article key={o.order_id} className="board-card" data-testid={`board-order-${o.order_id}`} data-status={o.status}>
                    <p className="board-card-head"><span className="strong">#{o.order_id.slice(-4)}</span> <span className="small">{time(o.created_at_ms)}</span> <span className="num">{money(o)}</span></p>
                    <p className="small">{o.lines.map((l) => `${l.quantity}× ${l.name[i18n.language as 'en' | 'de' | 'zh'] ?? l.name.en}`).join(', ')}</p>
                    {o.note && <p className="small board-note">“{o.note}”</p>}
                    {o.reason && <p className="small error" data-testid={`board-reason-${o.order_id}`}>{i18n.exists(`errors.${o.reason.code}`) ? t(`errors.${o.reason.code}`) : o.reason.message}</p>}
                    {step && (
                      <button data-testid={`board-advance-${o.order_id}`} data-to={step} disabled={busy === o.order_id} onClick={() => void advance(o)}>
                        {t(`board.to.${step}`)}
                      </button>
                    )}
                  </article>
                );
              })}
            </section>
          );
        })}
      </div>
    </div>
  );
}
