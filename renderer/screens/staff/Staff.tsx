// The staff screens: sign-in (a name, then the PIN on the keypad), the cashier's view of the
// open day (entries with their totals, refunds and voids, the current order paid by cash or
// card) and the manager's view (the same list, the day's close with its Z report, exports).
// The host checks every role and limit; these screens only show what it answers, and a refund
// above the cashier's limit asks for a manager's PIN on the spot. The session ends on sign-out
// or after idle_sign_out_ms without use, and the kiosk goes back to the customer's screen.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  ApiError,
  ApiResult,
  PaymentEntry,
  DayTotal,
  KioskClient,
  Order,
  ResponseOf,
  StaffMember,
  StaffSignIn,
  ZReport,
} from '../../../electron/contract/api.js';
import { formatMoney, parseMoney } from '../../i18n.js';
import { Keypad } from '../Keypad.js';
import { Board, Health } from './Board.js';
import { OrderBuilder } from './OrderBuilder.js';
import { isPayable } from '../order-status.js';
import { MANAGER_PANELS, type PanelContext } from '../manager/manager-panels.js';
import { MyPin } from '../manager/Team.js';

type Day = ResponseOf<'dayEntries'>;
/** A message in the current language, said when shown. */
type Say = () => string;
type Reversal = { kind: 'refund' | 'void'; entry: PaymentEntry };
/** A reversal the host sent back with STAFF_NEEDS_MANAGER: retried with a manager's token. */
type Pending = {
  kind: 'refund' | 'void';
  payment_seq: number;
  amount_minor: number | null;
  reason: string;
  message: string;
};

const PIN_MIN = 4;
const PIN_MAX = 8;

/** `staffDevice`: a device in the store showing the staff screens only (no customer screen to go back to). */
export function StaffScreens(props: {
  api: KioskClient;
  onExit: () => void;
  onOrderPaid: () => void;
  staffDevice?: boolean;
}) {
  const { api, onExit, onOrderPaid } = props;
  const { t, i18n } = useTranslation();
  const [members, setMembers] = useState<StaffMember[]>([]);
  const [picked, setPicked] = useState<StaffMember | null>(null);
  const [session, setSession] = useState<StaffSignIn | null>(null);
  /** 'day', 'manager' (the day's close and exports), or a manager panel's id. */
  const [tab, setTab] = useState<string>('day');
  const [day, setDay] = useState<Day | null>(null);
  const [order, setOrder] = useState<Order | null>(null);
  const [reversal, setReversal] = useState<Reversal | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [confirmClose, setConfirmClose] = useState(false);
  const [zReport, setZReport] = useState<ZReport | null>(null);
  // Messages are kept as how to say them, so that they follow a change of language.
  const [error, setErrorSay] = useState<Say | null>(null);
  const [notice, setNoticeSay] = useState<Say | null>(null);
  const setError = (say: Say | null): void => setErrorSay(() => say);
  const setNotice = (say: Say | null): void => setNoticeSay(() => say);
  const [busy, setBusy] = useState(false);
  // Remounts a keypad after a wrong PIN, so that it starts empty.
  const [attempt, setAttempt] = useState(0);
  // The member's last touch (idle sign-out counts from it) and the session's last call to the
  // host (which ends a session idle_sign_out_ms after it): background loads are calls, not use.
  const lastTouch = useRef(Date.now());
  const lastCall = useRef(Date.now());

  const errorText = useCallback(
    (e: ApiError): Say => {
      const key = `staff.errors.${e.code}`;
      if (!i18n.exists(key)) return () => e.message;
      const left = e.details?.tries_left ?? '?';
      const min =
        e.details?.locked_for_ms !== undefined ? Math.max(1, Math.ceil(e.details.locked_for_ms / 60_000)) : '?';
      return () => i18n.t(key, { left, min });
    },
    [i18n, t],
  );

  useEffect(() => {
    void api.staffList({}).then((r) => (r.ok ? setMembers(r.value.staff) : setError(errorText(r.error))));
  }, [api, errorText]);

  const signOut = useCallback(
    (token: string | null): void => {
      if (token !== null) void api.staffSignOut({ token });
      onExit();
    },
    [api, onExit],
  );

  /** A call with the session's token: its use keeps the session alive; an ended session
   * (idle on the host, or signed out elsewhere) goes back to the customer's screen. */
  const withToken = useCallback(
    async <T,>(run: (token: string) => Promise<ApiResult<T>>): Promise<ApiResult<T> | null> => {
      if (!session) return null;
      const r = await run(session.token);
      if (!r.ok && r.error.code === 'STAFF_SESSION_INVALID') {
        signOut(null);
        return null;
      }
      lastCall.current = Date.now();
      return r;
    },
    [session, signOut],
  );

  const refresh = useCallback(async (): Promise<void> => {
    const r = await withToken((token) => api.dayEntries({ token }));
    if (r?.ok) setDay(r.value);
    else if (r) setError(errorText(r.error));
    const o = await api.currentOrder({});
    setOrder(o.ok && o.value && isPayable(o.value) ? o.value : null);
  }, [api, withToken, errorText]);

  // The counter follows the current order as the host pushes changes (sent, paid elsewhere).
  useEffect(() => {
    if (!session) return;
    return api.onOrderChanged((e) => {
      if (e === null || e.order.order_id === e.current_order_id || e.order.status === 'paid') {
        void api.currentOrder({}).then((o) => setOrder(o.ok && o.value && isPayable(o.value) ? o.value : null));
      }
    });
  }, [api, session]);

  const boardError = useCallback(
    (code: string, message: string) => setError(errorText({ code, message })),
    [errorText],
  );

  useEffect(() => {
    if (session) void refresh();
  }, [session, refresh]);

  // Idle sign-out: idle_sign_out_ms after the member's last touch the kiosk goes back to the
  // customer's screen. The host ends a session that long after its last call, so a touch after
  // half of that refreshes the list (a call) and a member at work stays signed in.
  useEffect(() => {
    if (!session) return;
    const touched = (): void => {
      lastTouch.current = Date.now();
      if (Date.now() - lastCall.current > session.idle_sign_out_ms / 2) void refresh();
    };
    window.addEventListener('pointerdown', touched);
    window.addEventListener('keydown', touched);
    const timer = setInterval(() => {
      if (Date.now() - lastTouch.current >= session.idle_sign_out_ms) signOut(session.token);
    }, 1_000);
    return () => {
      window.removeEventListener('pointerdown', touched);
      window.removeEventListener('keydown', touched);
      clearInterval(timer);
    };
  }, [session, refresh, signOut]);

  const money = (minor: number, currency: string): string => formatMoney(minor, currency, i18n.language);
  const time = (ms: number): string => new Intl.DateTimeFormat(i18n.language, { timeStyle: 'medium' }).format(ms);

  const signIn = async (pin: string): Promise<void> => {
    if (!picked) return;
    setBusy(true);
    const r = await api.staffSignIn({ staff_id: picked.staff_id, pin });
    setBusy(false);
    setAttempt((n) => n + 1);
    if (!r.ok) return setError(errorText(r.error));
    setError(null);
    lastTouch.current = Date.now();
    lastCall.current = Date.now();
    setSession(r.value);
  };

  const payOrder = async (method: 'cash' | 'card'): Promise<void> => {
    if (!order) return;
    setBusy(true);
    const r = await withToken((token) => api.payOrder({ token, order_id: order.order_id, method }));
    setBusy(false);
    if (!r) return;
    if (!r.ok) return setError(errorText(r.error));
    setError(null);
    const paid = r.value;
    setNotice(() =>
      i18n.t('staff.paidAtCounter', {
        amount: money(paid.entry.amount_minor, paid.entry.currency),
        method: i18n.t(`staff.method.${method}`),
      }),
    );
    onOrderPaid();
    await refresh();
  };

  const reverse = async (p: Omit<Pending, 'message'>, token: string): Promise<ApiResult<ResponseOf<'refund'>>> =>
    p.kind === 'refund'
      ? api.refund({ token, payment_seq: p.payment_seq, amount_minor: p.amount_minor ?? 0, reason: p.reason })
      : api.voidPayment({ token, payment_seq: p.payment_seq, reason: p.reason });

  const reversed = async (r: ResponseOf<'refund'>): Promise<void> => {
    setReversal(null);
    setPending(null);
    setError(null);
    const e = r.entry;
    setNotice(() =>
      i18n.t(`staff.reversed.${e.kind === 'void' ? 'void' : 'refund'}`, {
        seq: e.payment_seq,
        amount: money(e.amount_minor, e.currency),
        by: r.approved_by,
      }),
    );
    await refresh();
  };

  const submitReversal = async (amountText: string, reason: string): Promise<void> => {
    if (!reversal) return;
    const e = reversal.entry;
    let amount: number | null = null;
    if (reversal.kind === 'refund') {
      amount = parseMoney(amountText, e.currency);
      if (amount === null || amount < 1) return setError(() => i18n.t('staff.amountInvalid'));
      if (amount > e.refundable_minor)
        return setError(() => i18n.t('staff.amountTooMuch', { left: money(e.refundable_minor, e.currency) }));
    }
    if (reason.trim() === '') return setError(() => i18n.t('staff.reasonNeeded'));
    const p = { kind: reversal.kind, payment_seq: e.seq, amount_minor: amount, reason: reason.trim() };
    setBusy(true);
    const r = await withToken((token) => reverse(p, token));
    setBusy(false);
    if (!r) return;
    if (r.ok) return reversed(r.value);
    if (r.error.code === 'STAFF_NEEDS_MANAGER') {
      setError(null);
      setReversal(null);
      return setPending({ ...p, message: r.error.message });
    }
    setError(errorText(r.error));
  };

  /** The manager approves on the spot: signed in for this one reversal, then signed out. */
  const approve = async (manager: StaffMember, pin: string): Promise<void> => {
    if (!pending) return;
    setBusy(true);
    const s = await api.staffSignIn({ staff_id: manager.staff_id, pin });
    setAttempt((n) => n + 1);
    if (!s.ok) {
      setBusy(false);
      return setError(errorText(s.error));
    }
    const r = await reverse(pending, s.value.token);
    await api.staffSignOut({ token: s.value.token });
    setBusy(false);
    if (r.ok) return reversed(r.value);
    setError(errorText(r.error));
  };

  const closeDay = async (): Promise<void> => {
    setBusy(true);
    const r = await withToken((token) => api.closeDay({ token }));
    setBusy(false);
    setConfirmClose(false);
    if (!r) return;
    if (!r.ok) return setError(errorText(r.error));
    setError(null);
    setZReport(r.value);
    await refresh();
  };

  const exportDay = async (format: 'csv' | 'json'): Promise<void> => {
    const businessDay = zReport?.business_day ?? day?.business_day;
    if (!businessDay) return;
    const r = await withToken((token) => api.exportDay({ token, business_day: businessDay, format }));
    if (!r) return;
    if (!r.ok) return setError(errorText(r.error));
    const blob = new Blob([r.value.content], {
      type: format === 'csv' ? 'text/csv;charset=utf-8' : 'application/json',
    });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `smile-to-pay-${r.value.business_day}.${format}`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  const messages = (
    <>
      {error && (
        <p className="error staff-error" role="alert" data-testid="staff-error">
          {error()}
        </p>
      )}
      {notice && (
        <p className="ok staff-notice" data-testid="staff-notice">
          {notice()}
        </p>
      )}
    </>
  );

  // ---- sign-in ---------------------------------------------------------------------------------
  if (!session) {
    return (
      <section className="screen staff" data-testid="screen-staff-sign-in">
        <h1>{t('staff.signInTitle')}</h1>
        {!picked ? (
          <>
            <p>{t('staff.chooseName')}</p>
            <div className="staff-names">
              {members.map((m) => (
                <button
                  key={m.staff_id}
                  data-testid={`staff-member-${m.staff_id}`}
                  onClick={() => {
                    setPicked(m);
                    setError(null);
                  }}
                >
                  {m.display_name}
                </button>
              ))}
            </div>
          </>
        ) : (
          <>
            <p>{t('staff.typePin', { name: picked.display_name })}</p>
            <Keypad
              key={attempt}
              testId="staff-pin"
              min={PIN_MIN}
              max={PIN_MAX}
              mask
              disabled={busy}
              onDone={(pin) => void signIn(pin)}
            />
            <button
              className="secondary"
              data-testid="staff-other-name"
              onClick={() => {
                setPicked(null);
                setError(null);
              }}
            >
              {t('staff.otherName')}
            </button>
          </>
        )}
        {messages}
        {!props.staffDevice && (
          <button className="secondary" data-testid="staff-close" onClick={onExit}>
            {t('staff.backToCustomer')}
          </button>
        )}
      </section>
    );
  }

  // ---- signed in -------------------------------------------------------------------------------
  const managers = members.filter((m) => m.role === 'manager');
  const panel = session.role === 'manager' ? MANAGER_PANELS.find((p) => p.id === tab) : undefined;
  const panelContext: PanelContext = {
    api,
    session,
    withToken,
    money,
    time,
    onError: (e) => setError(errorText(e)),
    onNotice: (say) => setNotice(say),
  };
  return (
    <section className="screen staff staff-desk" data-testid={`screen-staff-${tab}`} data-role={session.role}>
      <div className="staff-bar">
        <span data-testid="staff-who">
          {t('staff.signedInAs', { name: session.display_name, role: t(`staff.role.${session.role}`) })}
        </span>
        <nav className="staff-tabs">
          <button className={tab === 'day' ? 'tab-on' : ''} data-testid="staff-tab-day" onClick={() => setTab('day')}>
            {t('staff.tabDay')}
          </button>
          {session.role === 'manager' && (
            <button
              className={tab === 'manager' ? 'tab-on' : ''}
              data-testid="staff-tab-manager"
              onClick={() => setTab('manager')}
            >
              {t('staff.tabManager')}
            </button>
          )}
          <button
            className={tab === 'pin' ? 'tab-on' : ''}
            data-testid="staff-tab-pin"
            onClick={() => {
              setError(null);
              setNotice(null);
              setTab('pin');
            }}
          >
            {t('team.own.title')}
          </button>
          {session.role === 'manager' &&
            MANAGER_PANELS.map((p) => (
              <button
                key={p.id}
                className={tab === p.id ? 'tab-on' : ''}
                data-testid={`staff-tab-${p.id}`}
                onClick={() => {
                  setError(null);
                  setNotice(null);
                  setTab(p.id);
                }}
              >
                {t(p.labelKey)}
              </button>
            ))}
        </nav>
        <button
          className="secondary"
          data-testid="staff-refresh"
          disabled={busy}
          onClick={() => {
            setNotice(null);
            setError(null);
            void refresh();
          }}
        >
          {t('staff.refresh')}
        </button>
        <button className="secondary" data-testid="staff-sign-out" onClick={() => signOut(session.token)}>
          {t('staff.signOut')}
        </button>
      </div>
      {messages}

      {tab === 'day' && (
        <div className="counter" data-testid="counter">
          <h2>{t('staff.counterTitle')}</h2>
          {order ? (
            <div className="counter-order">
              <span data-testid="counter-order-total">
                {t('staff.orderOpen', { amount: money(order.total_minor, order.currency) })}
              </span>
              <button className="primary" data-testid="pay-cash" disabled={busy} onClick={() => void payOrder('cash')}>
                {t('staff.method.cash')}
              </button>
              <button className="primary" data-testid="pay-card" disabled={busy} onClick={() => void payOrder('card')}>
                {t('staff.method.card')}
              </button>
            </div>
          ) : (
            <p className="small" data-testid="counter-no-order">
              {t('staff.noOrder')}
            </p>
          )}
        </div>
      )}

      {tab === 'day' && (
        <div className="live" data-testid="live">
          <Health api={api} />
          <OrderBuilder
            api={api}
            withToken={withToken}
            onError={boardError}
            onSent={(o) => {
              setError(null);
              setNotice(() => i18n.t('board.sent', { amount: money(o.total_minor, o.currency) }));
              setOrder(o);
            }}
          />
          <Board api={api} withToken={withToken} onError={boardError} />
        </div>
      )}

      {reversal && (
        <ReversalForm
          key={`${reversal.kind}-${reversal.entry.seq}`}
          reversal={reversal}
          busy={busy}
          money={money}
          onSubmit={(a, r) => void submitReversal(a, r)}
          onCancel={() => {
            setReversal(null);
            setError(null);
          }}
        />
      )}

      {pending && (
        <div className="panel needs-manager" data-testid="needs-manager">
          <h2>{t('staff.needsManagerTitle')}</h2>
          <p data-testid="needs-manager-message">{pending.message}</p>
          <p>{t('staff.needsManagerText')}</p>
          <ManagerApproval key={attempt} managers={managers} busy={busy} onPin={(m, pin) => void approve(m, pin)} />
          <button
            className="secondary"
            data-testid="needs-manager-cancel"
            onClick={() => {
              setPending(null);
              setError(null);
            }}
          >
            {t('staff.cancel')}
          </button>
        </div>
      )}

      {tab === 'manager' && session.role === 'manager' && (
        <div className="manager-actions" data-testid="manager-actions">
          {!confirmClose ? (
            <button className="primary" data-testid="close-day" disabled={busy} onClick={() => setConfirmClose(true)}>
              {t('staff.closeDay')}
            </button>
          ) : (
            <div className="panel" data-testid="close-day-confirm-panel">
              <p>{t('staff.closeDayConfirm', { day: day?.business_day ?? '' })}</p>
              <button
                className="primary"
                data-testid="close-day-confirm"
                disabled={busy}
                onClick={() => void closeDay()}
              >
                {t('staff.closeDayYes')}
              </button>
              <button className="secondary" data-testid="close-day-cancel" onClick={() => setConfirmClose(false)}>
                {t('staff.cancel')}
              </button>
            </div>
          )}
          <button data-testid="export-csv" onClick={() => void exportDay('csv')}>
            {t('staff.exportCsv')}
          </button>
          <button data-testid="export-json" onClick={() => void exportDay('json')}>
            {t('staff.exportJson')}
          </button>
        </div>
      )}

      {tab === 'manager' && zReport && <ZReportView z={zReport} money={money} />}

      {panel && (
        <div className="manager-panel" data-testid={`panel-${panel.id}`}>
          {panel.render(panelContext)}
        </div>
      )}
      {tab === 'pin' && (
        <div className="manager-panel" data-testid="panel-pin">
          <MyPin ctx={panelContext} />
        </div>
      )}

      {day && !panel && tab !== 'pin' && (
        <DayList
          day={day}
          money={money}
          time={time}
          onReverse={(kind, entry) => {
            setReversal({ kind, entry });
            setPending(null);
            setError(null);
            setNotice(null);
          }}
        />
      )}
    </section>
  );
}

function Totals(props: { totals: DayTotal[]; money: (minor: number, currency: string) => string; testId: string }) {
  const { t } = useTranslation();
  return (
    <table className="staff-table totals" data-testid={props.testId}>
      <thead>
        <tr>
          <th>{t('staff.currency')}</th>
          <th>{t('staff.payments')}</th>
          <th>{t('staff.gross')}</th>
          <th>{t('staff.refunds')}</th>
          <th>{t('staff.voids')}</th>
          <th>{t('staff.net')}</th>
        </tr>
      </thead>
      <tbody>
        {props.totals.map((x) => (
          <tr
            key={x.currency}
            data-testid={`${props.testId}-${x.currency}`}
            data-payment-count={x.payment_count}
            data-gross-minor={x.gross_minor}
            data-refunds-minor={x.refunds_minor}
            data-voids-minor={x.voids_minor}
            data-net-minor={x.net_minor}
          >
            <td>{x.currency}</td>
            <td>{x.payment_count}</td>
            <td>{props.money(x.gross_minor, x.currency)}</td>
            <td>{props.money(x.refunds_minor, x.currency)}</td>
            <td>{props.money(x.voids_minor, x.currency)}</td>
            <td className="strong">
              {x.net_minor < 0 ? `−${props.money(-x.net_minor, x.currency)}` : props.money(x.net_minor, x.currency)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function DayList(props: {
  day: Day;
  money: (minor: number, currency: string) => string;
  time: (ms: number) => string;
  onReverse: (kind: 'refund' | 'void', e: PaymentEntry) => void;
}) {
  const { t } = useTranslation();
  const { day } = props;
  return (
    <div className="day-list" data-testid="day-list" data-business-day={day.business_day}>
      <h2>{t('staff.dayTitle', { day: day.business_day })}</h2>
      {day.totals.length > 0 && <Totals totals={day.totals} money={props.money} testId="day-total" />}
      {day.truncated && <p className="small">{t('staff.truncated', { n: day.entries.length })}</p>}
      {day.entries.length === 0 ? (
        <p className="small" data-testid="day-empty">
          {t('staff.noEntries')}
        </p>
      ) : (
        <div className="table-scroll">
          <table className="staff-table entries">
            <thead>
              <tr>
                <th>#</th>
                <th>{t('staff.time')}</th>
                <th>{t('staff.kind')}</th>
                <th>{t('staff.amount')}</th>
                <th>{t('staff.by')}</th>
                <th>{t('staff.detail')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {day.entries.map((e) => (
                <tr
                  key={e.seq}
                  data-testid={`entry-${e.seq}`}
                  data-kind={e.kind}
                  data-amount-minor={e.amount_minor ?? ''}
                  data-currency={e.currency ?? ''}
                  data-actor={e.actor ?? ''}
                >
                  <td>{e.seq}</td>
                  <td>{props.time(e.created_at_ms)}</td>
                  <td>
                    {t(`staff.kinds.${e.kind}`)}
                    {e.method ? ` · ${t(`staff.method.${e.method}`)}` : ''}
                  </td>
                  <td className="num">
                    {e.amount_minor !== null && e.currency !== null
                      ? `${e.kind === 'refund' || e.kind === 'void' ? '−' : ''}${props.money(e.amount_minor, e.currency)}`
                      : ''}
                  </td>
                  <td>{e.actor ?? ''}</td>
                  <td className="detail">
                    {e.settlement ? t(`staff.settlement.${e.settlement}`) : ''}
                    {e.payment_seq !== null ? t('staff.ofPayment', { seq: e.payment_seq }) : ''}
                    {e.reason ? ` “${e.reason}”` : ''}
                    {e.kind === 'payment' &&
                    e.refundable_minor !== null &&
                    e.currency !== null &&
                    e.refundable_minor < (e.amount_minor ?? 0)
                      ? ` · ${t('staff.left', { amount: props.money(e.refundable_minor, e.currency) })}`
                      : ''}
                  </td>
                  <td>
                    {e.kind === 'payment' && (e.refundable_minor ?? 0) > 0 && (
                      <div className="row-actions">
                        <button data-testid={`refund-${e.seq}`} onClick={() => props.onReverse('refund', e)}>
                          {t('staff.refund')}
                        </button>
                        <button data-testid={`void-${e.seq}`} onClick={() => props.onReverse('void', e)}>
                          {t('staff.void')}
                        </button>
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function ReversalForm(props: {
  reversal: Reversal;
  busy: boolean;
  money: (minor: number, currency: string) => string;
  onSubmit: (amount: string, reason: string) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const { kind, entry } = props.reversal;
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const left = props.money(entry.refundable_minor, entry.currency);
  return (
    <form
      className="panel details reversal"
      data-testid="reversal-form"
      data-kind={kind}
      onSubmit={(ev) => {
        ev.preventDefault();
        props.onSubmit(amount, reason);
      }}
    >
      <h2>
        {kind === 'refund'
          ? t('staff.refundTitle', { seq: entry.seq, left })
          : t('staff.voidTitle', { seq: entry.seq, left })}
      </h2>
      {kind === 'refund' && (
        <label>
          {t('staff.amountLabel', { currency: entry.currency })}
          <input
            data-testid="reversal-amount"
            inputMode="decimal"
            value={amount}
            maxLength={16}
            onChange={(e) => setAmount(e.target.value)}
          />
        </label>
      )}
      <label>
        {t('staff.reasonLabel')}
        <input
          data-testid="reversal-reason"
          value={reason}
          maxLength={500}
          onChange={(e) => setReason(e.target.value)}
        />
      </label>
      <div className="row">
        <button
          className="primary"
          data-testid="reversal-confirm"
          disabled={props.busy || reason.trim() === '' || (kind === 'refund' && amount.trim() === '')}
        >
          {kind === 'refund' ? t('staff.refund') : t('staff.void')}
        </button>
        <button type="button" className="secondary" onClick={props.onCancel}>
          {t('staff.cancel')}
        </button>
      </div>
    </form>
  );
}

function ManagerApproval(props: {
  managers: StaffMember[];
  busy: boolean;
  onPin: (m: StaffMember, pin: string) => void;
}) {
  const { t } = useTranslation();
  const [manager, setManager] = useState<StaffMember | null>(props.managers.length === 1 ? props.managers[0]! : null);
  if (!manager) {
    return (
      <div className="staff-names">
        {props.managers.map((m) => (
          <button key={m.staff_id} data-testid={`approve-${m.staff_id}`} onClick={() => setManager(m)}>
            {m.display_name}
          </button>
        ))}
      </div>
    );
  }
  return (
    <>
      <p>{t('staff.typePin', { name: manager.display_name })}</p>
      <Keypad
        testId="manager-pin"
        min={PIN_MIN}
        max={PIN_MAX}
        mask
        disabled={props.busy}
        onDone={(pin) => props.onPin(manager, pin)}
      />
    </>
  );
}

function ZReportView(props: { z: ZReport; money: (minor: number, currency: string) => string }) {
  const { t, i18n } = useTranslation();
  const { z } = props;
  return (
    <article className="panel z-report" data-testid="z-report">
      <h2>{t('staff.zTitle', { day: z.business_day })}</h2>
      <dl>
        <dt>{t('staff.zClosedAt')}</dt>
        <dd>
          {new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'medium' }).format(z.closed_at_ms)}
        </dd>
        <dt>{t('staff.zClosedBy')}</dt>
        <dd data-testid="z-closed-by">{z.closed_by}</dd>
        <dt>{t('staff.zEntries')}</dt>
        <dd data-testid="z-entry-count">
          {t('staff.zRange', { count: z.entry_count, first: z.first_seq, last: z.last_seq })}
        </dd>
        <dt>{t('staff.zCloseEntry')}</dt>
        <dd className="hash">
          #{z.day_close_seq} {z.entry_hash}
        </dd>
        <dt>{t('staff.zMerkle')}</dt>
        <dd className="hash" data-testid="z-merkle">
          {z.merkle_root}
        </dd>
        <dt>{t('staff.zSigner')}</dt>
        <dd className="hash" data-testid="z-signer">
          {z.signer_public_key}
        </dd>
      </dl>
      {z.totals.length > 0 ? (
        <Totals totals={z.totals} money={props.money} testId="z-total" />
      ) : (
        <p className="small">{t('staff.noEntries')}</p>
      )}
      <button className="secondary no-print" data-testid="z-print" onClick={() => window.print()}>
        {t('staff.print')}
      </button>
    </article>
  );
}
