// Leaving kiosk mode (the Settings panel's last part): after a confirmation the manager types
// their PIN again, since a session token alone cannot hand over the desktop; the host signs the
// change and says whether it closed a kiosk window or the kiosk runs in a browser.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError, ResponseOf } from '../../../electron/contract/api.js';
import { Keypad } from '../Keypad.js';
import type { PanelContext } from './manager-panels.js';
import type { Problem } from './SettingCards.js';

/** A staff PIN's length (the host checks it again). */
const PIN_MIN = 4;
const PIN_MAX = 8;

export function LeaveKioskMode(props: {
  ctx: PanelContext;
  /** The confirmation is open (the panel then shows its problem here, not above). */
  confirming: boolean;
  setConfirming: (on: boolean) => void;
  problem: Problem | null;
  setProblem: (p: Problem | null) => void;
  fail: (e: ApiError) => void;
  load: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const { ctx, confirming: confirmLeave, setConfirming: setConfirmLeave, problem, setProblem } = props;
  const [left, setLeft] = useState<ResponseOf<'leaveKioskMode'> | null>(null);
  // Remounts the PIN keypad after a wrong PIN, so that it starts empty.
  const [pinAttempt, setPinAttempt] = useState(0);
  const [leaving, setLeaving] = useState(false);

  /** The manager's PIN again: a session token alone cannot hand over the desktop. */
  const leave = async (pin: string): Promise<void> => {
    setProblem(null);
    setLeaving(true);
    const r = await ctx.withToken((token) => ctx.api.leaveKioskMode({ token, pin }));
    setLeaving(false);
    if (!r) return;
    if (!r.ok) {
      setPinAttempt((n) => n + 1);
      if (r.error.code !== 'STAFF_PIN_WRONG') setConfirmLeave(false);
      return props.fail(r.error);
    }
    setConfirmLeave(false);
    setLeft(r.value);
    await props.load();
  };

  return (
    <section className="panel settings-kiosk" data-testid="settings-kiosk">
      <h3>{t('settings.kiosk.title')}</h3>
      <p>{t('settings.kiosk.text')}</p>
      {left && (
        <p className="ok" role="status" data-testid="kiosk-mode-left">
          {t(
            left.already_off
              ? 'settings.kiosk.alreadyOff'
              : left.kiosk_window
                ? 'settings.kiosk.leftWindow'
                : 'settings.kiosk.leftBrowser',
            { seq: left.seq, by: left.left_by },
          )}
        </p>
      )}
      {!confirmLeave && (
        <button
          className="secondary"
          data-testid="leave-kiosk-mode"
          onClick={() => {
            setProblem(null);
            setConfirmLeave(true);
          }}
        >
          {t('settings.kiosk.leave')}
        </button>
      )}
      {confirmLeave && (
        <ConfirmLeave
          problem={problem}
          pinAttempt={pinAttempt}
          leaving={leaving}
          onPin={(pin) => void leave(pin)}
          onCancel={() => setConfirmLeave(false)}
        />
      )}
    </section>
  );
}

/** "Leave kiosk mode?", the PIN keypad (empty again after a wrong PIN), and Cancel. */
function ConfirmLeave(props: {
  problem: Problem | null;
  pinAttempt: number;
  leaving: boolean;
  onPin: (pin: string) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="settings-confirm" data-testid="leave-kiosk-mode-confirm">
      <p>{t('settings.kiosk.confirm')}</p>
      <p>{t('settings.kiosk.pin')}</p>
      {props.problem && (
        <p className="error" role="alert" data-testid="settings-problem">
          {t(`settings.errors.${props.problem.key}`, props.problem.values ?? {})}
        </p>
      )}
      <Keypad
        key={props.pinAttempt}
        testId="leave-kiosk-mode-pin"
        min={PIN_MIN}
        max={PIN_MAX}
        mask
        disabled={props.leaving}
        onDone={props.onPin}
      />
      <button className="secondary" data-testid="leave-kiosk-mode-cancel" onClick={props.onCancel}>
        {t('settings.kiosk.cancel')}
      </button>
    </div>
  );
}
