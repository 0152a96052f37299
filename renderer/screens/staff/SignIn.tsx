// Staff sign-in: a name, then the PIN on the keypad. A wrong PIN says how many tries are left
// (the host counts them) and the keypad starts empty again.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskClient, StaffListed, StaffSignIn } from '../../../electron/contract/api.js';
import { Messages, type StaffMessages } from './staff-messages.js';
import { PinEntry, StaffNames } from './StaffNames.js';

export function SignIn(props: {
  api: KioskClient;
  members: StaffListed[];
  messages: StaffMessages;
  /** A device in the store showing the staff screens only: no customer screen to go back to. */
  staffDevice?: boolean;
  onExit: () => void;
  onSignedIn: (s: StaffSignIn) => void;
}) {
  const { api, messages } = props;
  const { setError, errorText } = messages;
  const { t } = useTranslation();
  const [picked, setPicked] = useState<StaffListed | null>(null);
  const [busy, setBusy] = useState(false);
  // Remounts the keypad after a wrong PIN, so that it starts empty.
  const [attempt, setAttempt] = useState(0);
  const pick = (m: StaffListed | null): void => {
    setPicked(m);
    setError(null);
  };

  const signIn = async (pin: string): Promise<void> => {
    if (!picked) return;
    setBusy(true);
    const r = await api.staffSignIn({ staff_id: picked.staff_id, pin });
    setBusy(false);
    setAttempt((n) => n + 1);
    if (!r.ok) return setError(errorText(r.error));
    setError(null);
    props.onSignedIn(r.value);
  };

  return (
    <section className="screen staff" data-testid="screen-staff-sign-in">
      <h1>{t('staff.signInTitle')}</h1>
      {!picked ? (
        <>
          <p>{t('staff.chooseName')}</p>
          <StaffNames members={props.members} testIdPrefix="staff-member" onPick={pick} />
        </>
      ) : (
        <>
          <PinEntry key={attempt} member={picked} testId="staff-pin" busy={busy} onPin={(pin) => void signIn(pin)} />
          <button className="secondary" data-testid="staff-other-name" onClick={() => pick(null)}>
            {t('staff.otherName')}
          </button>
        </>
      )}
      <Messages messages={messages} />
      {!props.staffDevice && (
        <button className="secondary" data-testid="staff-close" onClick={props.onExit}>
          {t('staff.backToCustomer')}
        </button>
      )}
    </section>
  );
}
