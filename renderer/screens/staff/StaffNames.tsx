// Choosing a staff member by name, then their PIN on the keypad: the sign-in's and the
// manager's on-the-spot approval's.
import { useTranslation } from 'react-i18next';
import type { StaffListed } from '../../../electron/contract/api.js';
import { Keypad } from '../Keypad.js';
import { PIN_MAX, PIN_MIN } from './desk.js';

/** A button per member; each button's test id is `<testIdPrefix>-<staff_id>`. */
export function StaffNames(props: { members: StaffListed[]; testIdPrefix: string; onPick: (m: StaffListed) => void }) {
  return (
    <div className="staff-names">
      {props.members.map((m) => (
        <button key={m.staff_id} data-testid={`${props.testIdPrefix}-${m.staff_id}`} onClick={() => props.onPick(m)}>
          {m.display_name}
        </button>
      ))}
    </div>
  );
}

/** "<name>: type your PIN" and a masked keypad. */
export function PinEntry(props: { member: StaffListed; testId: string; busy: boolean; onPin: (pin: string) => void }) {
  const { t } = useTranslation();
  return (
    <>
      <p>{t('staff.typePin', { name: props.member.display_name })}</p>
      <Keypad
        testId={props.testId}
        min={PIN_MIN}
        max={PIN_MAX}
        mask
        disabled={props.busy}
        onDone={(pin) => props.onPin(pin)}
      />
    </>
  );
}
