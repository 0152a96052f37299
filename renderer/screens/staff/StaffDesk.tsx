// The signed-in staff screen: the bar with its tabs, the message line, and the tab's view. The
// day tab is the counter (the current order paid by cash or card, the live orders); the day's
// list, with refunds and voids, shows on the day and manager tabs; a manager also has the day's
// close with its Z report and exports, and the manager's panels. The state lives here, so that it
// survives a change of tab (an open refund form, a Z report).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskClient, Receipt, StaffListed } from '../../../electron/contract/api.js';
import { ReceiptDocument } from '../customer/ReceiptView.js';
import { formatMoney } from '../../i18n.js';
import { MANAGER_PANELS, type PanelContext } from '../manager/manager-panels.js';
import { MyPin } from '../manager/Team.js';
import { Counter, LiveOrders } from './Counter.js';
import { TillPanel } from '../till/TillPanel.js';
import { useDayClose } from './day-close.js';
import { ManagerActions, ZReportView } from './DayClose.js';
import { DayList } from './DayList.js';
import type { Desk } from './desk.js';
import { useReversals } from './reversal.js';
import { ReversalPanels } from './Reversal.js';
import { StaffBar, type Tab } from './StaffBar.js';
import { useStaffDay } from './staff-day.js';
import { Messages, type StaffMessages } from './staff-messages.js';
import { PrinterLine, ReprintButtons } from './Printers.js';
import { useIdleSignOut, type StaffSessionState } from './staff-session.js';

export function StaffDesk(props: {
  api: KioskClient;
  staff: StaffSessionState;
  members: StaffListed[];
  messages: StaffMessages;
  onOrderPaid: () => void;
}) {
  const { api, staff, messages } = props;
  const { t, i18n } = useTranslation();
  const session = staff.session!;
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const [tab, setTab] = useState<Tab>('day');
  const [busy, setBusy] = useState(false);
  const { day, order, setOrder, refresh } = useStaffDay(api, staff.session, staff.withToken, messages);
  useIdleSignOut(staff, refresh);

  const desk: Desk = {
    api,
    withToken: staff.withToken,
    messages,
    money: (minor, currency) => formatMoney(minor, currency, i18n.language),
    time: (ms) => new Intl.DateTimeFormat(i18n.language, { timeStyle: 'medium' }).format(ms),
    busy,
    setBusy,
    refresh,
  };
  const reversals = useReversals(desk);
  const showReceipt = async (seq: number): Promise<void> => {
    const r = await staff.withToken((token) => api.staffReceipt({ token, seq }));
    if (r?.ok) setReceipt(r.value);
    else if (r) messages.setError(messages.errorText(r.error));
  };
  const close = useDayClose(desk, day);
  const managers = props.members.filter((m) => m.role === 'manager');
  const panel = session.role === 'manager' ? MANAGER_PANELS.find((p) => p.id === tab) : undefined;
  const panelContext: PanelContext = {
    api,
    session,
    withToken: staff.withToken,
    money: desk.money,
    time: desk.time,
    onError: (e) => messages.setError(messages.errorText(e)),
    onNotice: (say) => messages.setNotice(say),
  };
  return (
    <section className="screen staff staff-desk" data-testid={`screen-staff-${tab}`} data-role={session.role}>
      <StaffBar
        session={session}
        tab={tab}
        onTab={setTab}
        messages={messages}
        busy={busy}
        onRefresh={() => void refresh()}
        onSignOut={() => staff.signOut(session.token)}
      />
      <Messages messages={messages} />
      <PrinterLine desk={desk} />
      {tab === 'day' && <Counter desk={desk} order={order} managers={managers} onOrderPaid={props.onOrderPaid} />}
      {tab === 'day' && <LiveOrders desk={desk} onSent={setOrder} />}
      <ReversalPanels r={reversals} managers={managers} busy={busy} money={desk.money} />
      {tab === 'manager' && session.role === 'manager' && <ManagerActions close={close} day={day} busy={busy} />}
      {tab === 'manager' && close.zReport && <ZReportView z={close.zReport} money={desk.money} />}
      {panel && (
        <div className="manager-panel" data-testid={`panel-${panel.id}`}>
          {panel.render(panelContext)}
        </div>
      )}
      {tab === 'till' && (
        <div className="manager-panel" data-testid="panel-till">
          <TillPanel desk={desk} />
        </div>
      )}
      {tab === 'pin' && (
        <div className="manager-panel" data-testid="panel-pin">
          <MyPin ctx={panelContext} />
        </div>
      )}
      {receipt && (
        <div className="panel staff-receipt" data-testid="staff-receipt">
          <ReceiptDocument receipt={receipt} />
          <div className="row no-print">
            <button className="secondary" data-testid="staff-receipt-print" onClick={() => window.print()}>
              {t('receipt.print')}
            </button>
            <ReprintButtons desk={desk} seq={receipt.seq} />
            <button className="secondary" data-testid="staff-receipt-close" onClick={() => setReceipt(null)}>
              {t('staff.cancel')}
            </button>
          </div>
        </div>
      )}
      {day && !panel && tab !== 'pin' && tab !== 'till' && (
        <DayList
          day={day}
          money={desk.money}
          time={desk.time}
          onReverse={reversals.open}
          onReceipt={(seq) => void showReceipt(seq)}
        />
      )}
    </section>
  );
}
