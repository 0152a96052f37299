// The staff screens: sign-in (a name, then the PIN on the keypad), the cashier's view of the
// open day (entries with their totals, refunds and voids, the current order paid by cash or
// card) and the manager's view (the same list, the day's close with its Z report, exports).
// The host checks every role and limit; these screens only show what it answers, and a refund
// above the cashier's limit asks for a manager's PIN on the spot. The session ends on sign-out
// or after idle_sign_out_ms without use, and the kiosk goes back to the customer's screen.
// The parts: SignIn.tsx, StaffDesk.tsx (the signed-in screen) and what it holds; the session
// in staff-session.ts, the message line in staff-messages.tsx.
import { useEffect, useState } from 'react';
import type { KioskClient, StaffListed } from '../../../electron/contract/api.js';
import { SignIn } from './SignIn.js';
import { StaffDesk } from './StaffDesk.js';
import { useStaffMessages } from './staff-messages.js';
import { useStaffSession } from './staff-session.js';

/** `staffDevice`: a device in the store showing the staff screens only (no customer screen to go back to). */
export function StaffScreens(props: {
  api: KioskClient;
  onExit: () => void;
  onOrderPaid: () => void;
  staffDevice?: boolean;
}) {
  const { api, onExit } = props;
  const messages = useStaffMessages();
  const { setError, errorText } = messages;
  const [members, setMembers] = useState<StaffListed[]>([]);
  const staff = useStaffSession(api, onExit);

  // Before sign-in the host names who may sign in; signed in, their roles too (the refund's
  // approval picks a manager from them).
  const token = staff.session?.token;
  useEffect(() => {
    void api
      .staffList(token ? { token } : {})
      .then((r) => (r.ok ? setMembers(r.value.staff) : setError(errorText(r.error))));
  }, [api, errorText, token]);

  if (!staff.session)
    return (
      <SignIn
        api={api}
        members={members}
        messages={messages}
        staffDevice={props.staffDevice}
        onExit={onExit}
        onSignedIn={staff.begin}
      />
    );
  return <StaffDesk api={api} staff={staff} members={members} messages={messages} onOrderPaid={props.onOrderPaid} />;
}
