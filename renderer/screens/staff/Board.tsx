// The cashier's live view: the kiosk's health at a glance (from the self-check) and the order
// board (the order builder is in OrderBuilder.tsx), one column per status,
// kept current by the host's pushes (no refresh). The host checks the session and every step;
// these components show what it answers.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiResult, KioskClient, KioskStatus, Order } from '../../../electron/contract/api.js';
import { formatMoney } from '../../i18n.js';
import { nextStep, ORDER_STATUSES } from '../order-status.js';
import { lineText } from '../order-lines.js';
import { checkText } from '../check-text.js';

/** Orders the board holds, at most (the host keeps the same number). */
const BOARD_ORDERS_MAX = 200;
const HEALTH_POLL_MS = 5_000;

type WithToken = <T>(run: (token: string) => Promise<ApiResult<T>>) => Promise<ApiResult<T> | null>;

export function Health(props: { api: KioskClient }) {
  const { t, i18n } = useTranslation();
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
    <li
      key={key}
      className={ok === null ? 'check-pending' : ok ? 'check-ok' : 'check-bad'}
      data-testid={`health-${key}`}
      data-ok={ok === null ? '' : String(ok)}
    >
      <span className="check-mark">{ok === null ? '…' : ok ? '✓' : '✗'}</span>{' '}
      <span className="check-name">{t(`board.health.${key}`)}</span> <span className="check-detail">{text}</span>
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
        {item('camera', cam ? (cam.pending ? null : cam.ok) : null, cam ? checkText(cam, t, i18n) : '')}
        {item('vision', vision ? (vision.pending ? null : vision.ok) : null, vision ? checkText(vision, t, i18n) : '')}
        {item('ledger', ledger ? ledger.ok : null, ledger ? checkText(ledger, t, i18n) : '')}
        {item(
          'unsynced',
          unsynced === null ? null : unsynced === 0,
          unsynced === null ? '' : t('board.health.unsyncedCount', { count: unsynced }),
        )}
        {item('server', server ? server.ok : null, server ? checkText(server, t, i18n) : '')}
      </ul>
    </div>
  );
}

export function Board(props: {
  api: KioskClient;
  withToken: WithToken;
  onError: (code: string, message: string) => void;
}) {
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
      void run
        .current((token) => api.orderBoard({ token }))
        .then((r) => {
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
            <section
              key={status}
              className={`board-col board-${status}`}
              data-testid={`board-col-${status}`}
              data-count={here.length}
            >
              <h3>
                {t(`board.status.${status}`)} <span className="board-count">{here.length}</span>
              </h3>
              {here.map((o) => {
                const step = nextStep(o.status);
                return (
                  <article
                    key={o.order_id}
                    className="board-card"
                    data-testid={`board-order-${o.order_id}`}
                    data-status={o.status}
                  >
                    <p className="board-card-head">
                      <span className="strong">#{o.order_id.slice(-4)}</span>{' '}
                      <span className="small">{time(o.created_at_ms)}</span> <span className="num">{money(o)}</span>
                    </p>
                    <p className="small">{o.lines.map((l) => lineText(l, i18n.language)).join('; ')}</p>
                    {o.note && <p className="small board-note">“{o.note}”</p>}
                    {o.status === 'partly_paid' && (
                      <p
                        className="small strong"
                        data-testid={`board-part-${o.order_id}`}
                        data-paid-minor={o.paid_minor}
                      >
                        {t('board.partPaid', {
                          paid: formatMoney(o.paid_minor, o.currency, i18n.language),
                          due: formatMoney(o.total_minor - o.paid_minor, o.currency, i18n.language),
                        })}
                      </p>
                    )}
                    {o.reason && (
                      <p className="small error" data-testid={`board-reason-${o.order_id}`}>
                        {i18n.exists(`errors.${o.reason.code}`) ? t(`errors.${o.reason.code}`) : o.reason.message}
                      </p>
                    )}
                    {step && (
                      <button
                        data-testid={`board-advance-${o.order_id}`}
                        data-to={step}
                        disabled={busy === o.order_id}
                        onClick={() => void advance(o)}
                      >
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
