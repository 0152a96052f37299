// The customer's screens, one state machine: self-check -> order -> smile to pay (camera,
// face guide, prompts) -> paid / declined / phone-digits step-up -> receipt; and enrolment
// (consent, captures, name and phone) and deletion on request. The host decides; these
// components show what it answers, in the customer's language. The staff screens open over the
// customer's, which keep their state underneath. The parts live in customer/: the start-up and
// self-check (self-check.ts), the order (order-state.ts), the sessions (session-flow.ts) and a
// component per screen.
import { useEffect, useState, type ReactNode } from 'react';
import type { KioskClient } from '../../electron/contract/api.js';
import { isPayable } from './order-status.js';
import { DeclinedView, PaidView } from './customer/PaymentOutcome.js';
import { DeletedView } from './customer/Deletion.js';
import { ConsentView, EnrolledView } from './customer/Enrolment.js';
import { MenuOrderView, SentOrderView } from './customer/OrderView.js';
import { useCustomerOrder, type CustomerOrder } from './customer/order-state.js';
import { usePromptNow } from './customer/prompt.js';
import { ReceiptView } from './customer/ReceiptView.js';
import type { Screen } from './customer/screen-state.js';
import { useSelfCheck, type SelfCheck } from './customer/self-check.js';
import { useSessionFlow, type SessionFlow } from './customer/session-flow.js';
import { SessionView } from './customer/SessionView.js';
import { StatusView } from './customer/StatusView.js';
import { TopBar } from './customer/TopBar.js';
import { StaffScreens } from './staff/Staff.js';

/** A staff device in the store (a tablet at the counter, the manager's laptop) opens the kiosk's
 * address with ?screen=staff: the staff screens only. It opens no camera and reports none, so
 * the kiosk's camera check stays the customer screen's. */
const STAFF_DEVICE = typeof location !== 'undefined' && new URLSearchParams(location.search).get('screen') === 'staff';
/** How long the self-check stays on screen once everything is ready. */
const STATUS_HOLD_MS = 8_000;

export function App(props: { api: KioskClient }) {
  const { api } = props;
  const [screen, setScreen] = useState<Screen>({ name: 'status' });
  const check = useSelfCheck(api, STAFF_DEVICE, screen.name === 'status');
  const shop = useCustomerOrder(api, setScreen);
  // The staff screens, over the customer's (which keep their state underneath).
  const [staffOpen, setStaffOpen] = useState(STAFF_DEVICE);
  // Remounts the staff screens of a staff device when a member leaves them (back to sign-in).
  const [staffRound, setStaffRound] = useState(0);

  // An unattended kiosk (after a reboot) goes on to the order screen by itself once ready.
  const canContinue = check.status?.ready === true && check.status.screen.paired && check.stream !== null;
  useEffect(() => {
    if (screen.name !== 'status' || !canContinue) return;
    const timer = setTimeout(() => setScreen({ name: 'order' }), STATUS_HOLD_MS);
    return () => clearTimeout(timer);
  }, [screen.name, canContinue]);

  const promptNow = usePromptNow(screen.name === 'session' ? screen.session : null);
  const flow = useSessionFlow(api, setScreen, shop);
  const home = (): void => setScreen({ name: 'order' });

  const body = staffOpen ? (
    <StaffScreens
      api={api}
      key={staffRound}
      staffDevice={STAFF_DEVICE}
      onExit={() => (STAFF_DEVICE ? setStaffRound((n) => n + 1) : setStaffOpen(false))}
      onOrderPaid={() => {
        shop.setOrder(null);
        shop.setCart({});
        setScreen((s) => (s.name === 'status' ? s : { name: 'order' }));
      }}
    />
  ) : (
    <CustomerScreen
      api={api}
      screen={screen}
      setScreen={setScreen}
      check={check}
      canContinue={canContinue}
      shop={shop}
      flow={flow}
      promptNow={promptNow}
      home={home}
    />
  );
  return (
    <div className="app">
      <TopBar
        status={check.status}
        onStaff={!staffOpen && !STAFF_DEVICE && screen.name !== 'session' ? () => setStaffOpen(true) : null}
      />
      {body}
    </div>
  );
}

/** The customer's screen for the state machine's current state. */
function CustomerScreen(props: {
  api: KioskClient;
  screen: Screen;
  setScreen: (s: Screen) => void;
  check: SelfCheck;
  canContinue: boolean;
  shop: CustomerOrder;
  flow: SessionFlow;
  promptNow: boolean;
  home: () => void;
}): ReactNode {
  const { api, screen, setScreen, check, shop, flow, home } = props;
  const { order } = shop;
  const consent = (): void => setScreen({ name: 'consent' });
  switch (screen.name) {
    case 'status':
      return <StatusView api={api} status={check.status} canContinue={props.canContinue} onContinue={home} />;
    case 'order':
      return order && order.source === 'counter' && isPayable(order) ? (
        <SentOrderView order={order} onPay={() => void flow.startPayment()} />
      ) : (
        <MenuOrderView
          menu={check.menu}
          cart={shop.cart}
          setCart={shop.setCart}
          onPay={() => void flow.startPayment()}
          onEnrol={consent}
          onDelete={() => void flow.startSession('delete')}
        />
      );
    case 'session':
      return (
        <SessionView
          api={api}
          session={screen.session}
          order={order}
          stream={check.stream}
          promptNow={props.promptNow}
          onView={flow.onView}
          onFail={flow.fail}
          onCancelled={home}
        />
      );
    case 'paid':
      return (
        <PaidView
          receipt={screen.receipt}
          initials={screen.initials}
          onReceipt={() => setScreen({ name: 'receipt', receipt: screen.receipt })}
          onDone={home}
        />
      );
    case 'receipt':
      return <ReceiptView receipt={screen.receipt} onDone={home} />;
    case 'declined':
      return (
        <DeclinedView
          code={screen.code}
          message={screen.message}
          offerEnrolment={screen.offerEnrolment}
          onRetry={home}
          onEnrol={consent}
        />
      );
    case 'consent':
      return <ConsentView onAgree={() => void flow.startSession('enrol')} onDecline={home} />;
    case 'enrolled':
      return <EnrolledView initials={screen.initials} onDone={home} />;
    case 'deleted':
      return <DeletedView onDone={home} />;
  }
}
