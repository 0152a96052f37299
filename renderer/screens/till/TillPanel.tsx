// The till tab (cashier or manager): open a shift with its float; while it is open, the X report
// (the cash the drawer should hold, payments by method, takings per rate, tips by member of
// staff, pay-ins and pay-outs), a pay-in or pay-out with its reason, and the count by coin and
// note that closes the shift, with the cash expected, the count and the variance. The host
// computes every figure; the count's total here is only what the cashier has typed so far.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TillReport } from '../../../electron/contract/api.js';
import { parseMoney } from '../../i18n.js';
import type { Desk } from '../staff/desk.js';
import { percentOf, signedMoney } from '../tax-format.js';

export function TillPanel(props: { desk: Desk }) {
  const { t } = useTranslation();
  const { api, withToken, setBusy, messages } = props.desk;
  const [report, setReport] = useState<TillReport | null>(null);

  const call = async (f: (token: string) => ReturnType<typeof api.tillReport>, notice?: () => string) => {
    setBusy(true);
    const r = await withToken(f);
    setBusy(false);
    if (!r) return;
    if (!r.ok) return messages.setError(messages.errorText(r.error));
    messages.setError(null);
    if (notice) messages.setNotice(notice);
    setReport(r.value);
    await props.desk.refresh();
  };
  useEffect(() => {
    void withToken((token) => api.tillReport({ token })).then((r) => r?.ok && setReport(r.value));
  }, [api, withToken]);

  if (!report) return <p className="small">{t('till.loading')}</p>;
  return (
    <div className="till" data-testid="till-panel" data-open={report.open}>
      <h2>{t('till.title')}</h2>
      {!report.open && (
        <OpenShift
          desk={props.desk}
          currency={report.shift?.currency ?? null}
          onOpen={(float) =>
            void call(
              (token) => api.openShift({ token, float_minor: float }),
              () => t('till.opened'),
            )
          }
        />
      )}
      {report.shift && <XReport report={report} desk={props.desk} />}
      {report.open && report.shift && (
        <>
          <CashMove
            desk={props.desk}
            currency={report.shift.currency}
            onMove={(direction, amount, reason) =>
              void call(
                (token) => api.cashMove({ token, direction, amount_minor: amount, reason }),
                () => t(direction === 'in' ? 'till.paidIn' : 'till.paidOut'),
              )
            }
          />
          <CountForm
            report={report}
            desk={props.desk}
            onClose={(counted) =>
              void call(
                (token) => api.closeShift({ token, counted }),
                () => t('till.closedNotice'),
              )
            }
          />
        </>
      )}
    </div>
  );
}

function OpenShift(props: { desk: Desk; currency: string | null; onOpen: (floatMinor: number) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const currency = props.currency ?? 'EUR';
  return (
    <form
      className="panel till-open"
      data-testid="till-open-form"
      onSubmit={(ev) => {
        ev.preventDefault();
        const float = parseMoney(text || '0', currency);
        if (float === null) return props.desk.messages.setError(() => t('till.amountInvalid'));
        props.onOpen(float);
      }}
    >
      <p>{t('till.noShift')}</p>
      <label>
        {t('till.floatLabel', { currency })}
        <input
          data-testid="till-float"
          inputMode="decimal"
          maxLength={16}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </label>
      <button className="primary" data-testid="till-open" disabled={props.desk.busy}>
        {t('till.open')}
      </button>
    </form>
  );
}

function XReport(props: { report: TillReport; desk: Desk }) {
  const { t } = useTranslation();
  const { money, time } = props.desk;
  const s = props.report.shift!;
  const c = s.currency;
  const row = (label: string, minor: number, testId: string, sign = '') => (
    <tr data-testid={testId} data-minor={minor}>
      <th>{label}</th>
      <td className="num">
        {sign}
        {money(minor, c)}
      </td>
    </tr>
  );
  return (
    <article className="panel x-report" data-testid={s.closed ? 'till-closed' : 'till-x-report'}>
      <h3>{s.closed ? t('till.closedTitle', { by: s.closed.closed_by }) : t('till.xTitle', { by: s.opened_by })}</h3>
      <p className="small">
        {t('till.since', { time: time(s.opened_at_ms) })}
        {s.closed ? ` · ${t('till.until', { time: time(s.closed.closed_at_ms) })}` : ''}
      </p>
      <table className="staff-table till-figures">
        <tbody>
          {row(t('till.float'), s.float_minor, 'till-float-minor')}
          {row(t('till.cashSales'), s.cash_sales_minor, 'till-cash-sales', '+')}
          {row(t('till.cashRefunds'), s.cash_refunds_minor, 'till-cash-refunds', '−')}
          {row(t('till.payIns'), s.pay_ins_minor, 'till-pay-ins', '+')}
          {row(t('till.payOuts'), s.pay_outs_minor, 'till-pay-outs', '−')}
          <tr className="strong" data-testid="till-expected" data-minor={s.expected_minor}>
            <th>{t('till.expected')}</th>
            <td className="num">{signedMoney(money, s.expected_minor, c)}</td>
          </tr>
          {s.closed && (
            <>
              <tr data-testid="till-counted" data-minor={s.closed.counted_minor}>
                <th>{t('till.counted')}</th>
                <td className="num">{money(s.closed.counted_minor, c)}</td>
              </tr>
              <tr className="strong" data-testid="till-variance" data-minor={s.closed.variance_minor}>
                <th>{t('till.variance')}</th>
                <td className="num">{signedMoney(money, s.closed.variance_minor, c)}</td>
              </tr>
            </>
          )}
          {row(t('till.tips'), s.tips_minor, 'till-tips')}
        </tbody>
      </table>
      <Breakdown report={props.report} desk={props.desk} />
    </article>
  );
}

function Breakdown(props: { report: TillReport; desk: Desk }) {
  const { t } = useTranslation();
  const { money, time } = props.desk;
  const r = props.report;
  const c = r.shift!.currency;
  return (
    <div className="till-breakdown">
      {r.by_method.length > 0 && (
        <table className="staff-table" data-testid="till-by-method">
          <thead>
            <tr>
              <th>{t('till.method')}</th>
              <th>{t('till.count')}</th>
              <th>{t('till.amount')}</th>
            </tr>
          </thead>
          <tbody>
            {r.by_method.map((m) => (
              <tr key={m.method} data-method={m.method} data-minor={m.amount_minor}>
                <td>{t(`staff.method.${m.method}`)}</td>
                <td>{m.payment_count}</td>
                <td className="num">{money(m.amount_minor, c)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {r.by_rate.length > 0 && <RateTable rates={r.by_rate} money={money} testId="till-by-rate" />}
      {r.tips_by_staff.length > 0 && (
        <table className="staff-table" data-testid="till-tips-by-staff">
          <thead>
            <tr>
              <th>{t('till.staff')}</th>
              <th>{t('till.count')}</th>
              <th>{t('till.tips')}</th>
            </tr>
          </thead>
          <tbody>
            {r.tips_by_staff.map((x) => (
              <tr key={x.staff} data-staff={x.staff} data-minor={x.tips_minor}>
                <td>{x.staff}</td>
                <td>{x.payment_count}</td>
                <td className="num">{money(x.tips_minor, c)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {r.moves.length > 0 && (
        <ul className="till-moves" data-testid="till-moves">
          {r.moves.map((m) => (
            <li key={m.seq} data-direction={m.direction} data-minor={m.amount_minor}>
              {time(m.created_at_ms)} · {t(m.direction === 'in' ? 'till.payIn' : 'till.payOut')}{' '}
              {money(m.amount_minor, c)} · “{m.reason}” · {m.by}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Net, tax and gross per rate (the X report's, the Z report's, the day report's). */
export function RateTable(props: {
  rates: {
    currency: string;
    rate_id: string;
    rate_bp: number;
    net_minor: number;
    tax_minor: number;
    gross_minor: number;
  }[];
  money: Desk['money'];
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <table className="staff-table rates" data-testid={props.testId}>
      <thead>
        <tr>
          <th>{t('till.rate')}</th>
          <th>{t('till.net')}</th>
          <th>{t('till.tax')}</th>
          <th>{t('till.gross')}</th>
        </tr>
      </thead>
      <tbody>
        {props.rates.map((r) => (
          <tr
            key={`${r.currency}-${r.rate_id}-${r.rate_bp}`}
            data-testid={`${props.testId}-${r.rate_id}`}
            data-rate-bp={r.rate_bp}
            data-net-minor={r.net_minor}
            data-tax-minor={r.tax_minor}
            data-gross-minor={r.gross_minor}
          >
            <td>
              {r.rate_id} · {percentOf(r.rate_bp)} %
            </td>
            <td className="num">{signedMoney(props.money, r.net_minor, r.currency)}</td>
            <td className="num">{signedMoney(props.money, r.tax_minor, r.currency)}</td>
            <td className="num">{signedMoney(props.money, r.gross_minor, r.currency)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function CashMove(props: {
  desk: Desk;
  currency: string;
  onMove: (d: 'in' | 'out', amountMinor: number, reason: string) => void;
}) {
  const { t } = useTranslation();
  const [direction, setDirection] = useState<'in' | 'out'>('out');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  return (
    <form
      className="panel till-move"
      data-testid="till-move-form"
      onSubmit={(ev) => {
        ev.preventDefault();
        const minor = parseMoney(amount, props.currency);
        if (minor === null || minor < 1) return props.desk.messages.setError(() => t('till.amountInvalid'));
        if (reason.trim() === '') return props.desk.messages.setError(() => t('till.reasonNeeded'));
        props.onMove(direction, minor, reason.trim());
        setAmount('');
        setReason('');
      }}
    >
      <h3>{t('till.moveTitle')}</h3>
      <select
        data-testid="till-move-direction"
        value={direction}
        onChange={(e) => setDirection(e.target.value as 'in' | 'out')}
      >
        <option value="out">{t('till.payOut')}</option>
        <option value="in">{t('till.payIn')}</option>
      </select>
      <input
        data-testid="till-move-amount"
        inputMode="decimal"
        maxLength={16}
        placeholder={t('till.amountLabel', { currency: props.currency })}
        value={amount}
        onChange={(e) => setAmount(e.target.value)}
      />
      <input
        data-testid="till-move-reason"
        maxLength={500}
        placeholder={t('till.reasonLabel')}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
      <button className="primary" data-testid="till-move-submit" disabled={props.desk.busy}>
        {t('till.record')}
      </button>
    </form>
  );
}

function CountForm(props: {
  report: TillReport;
  desk: Desk;
  onClose: (counted: { denomination_minor: number; count: number }[]) => void;
}) {
  const { t } = useTranslation();
  const { money } = props.desk;
  const shift = props.report.shift!;
  const [counts, setCounts] = useState<Record<number, string>>({});
  const pieces = (d: number): number => {
    const n = Number((counts[d] ?? '').trim() || '0');
    return Number.isSafeInteger(n) && n >= 0 ? n : NaN;
  };
  const total = props.report.denominations.reduce((s, d) => s + d * pieces(d), 0);
  const valid = Number.isSafeInteger(total);
  return (
    <form
      className="panel till-count"
      data-testid="till-count-form"
      onSubmit={(ev) => {
        ev.preventDefault();
        if (!valid) return props.desk.messages.setError(() => t('till.countInvalid'));
        props.onClose(
          props.report.denominations
            .filter((d) => pieces(d) > 0)
            .map((d) => ({ denomination_minor: d, count: pieces(d) })),
        );
      }}
    >
      <h3>{t('till.countTitle')}</h3>
      <div className="denominations">
        {[...props.report.denominations].reverse().map((d) => (
          <label key={d}>
            {money(d, shift.currency)}
            <input
              data-testid={`till-count-${d}`}
              inputMode="numeric"
              maxLength={6}
              value={counts[d] ?? ''}
              onChange={(e) => setCounts((c) => ({ ...c, [d]: e.target.value }))}
            />
          </label>
        ))}
      </div>
      <p data-testid="till-counted-total" data-minor={valid ? total : ''}>
        {valid
          ? t('till.countedSoFar', {
              counted: money(total, shift.currency),
              expected: signedMoney(money, shift.expected_minor, shift.currency),
              variance: signedMoney(money, total - shift.expected_minor, shift.currency),
            })
          : t('till.countInvalid')}
      </p>
      <button className="primary" data-testid="till-close" disabled={props.desk.busy || !valid}>
        {t('till.close')}
      </button>
    </form>
  );
}
