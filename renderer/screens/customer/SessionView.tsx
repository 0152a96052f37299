// A session on screen (a payment, an enrolment, a deletion): the camera with the face guide
// while the host is looking, the hint or "Now smile!", the enrolment's good captures, the
// phone digits when the host asks for them (a step-up, or a deletion's check), the enrolment's
// name and phone, and Cancel.
import { useTranslation } from 'react-i18next';
import type { KioskClient, Order, SessionView as Session } from '../../../electron/contract/api.js';
import { Keypad } from '../Keypad.js';
import { EnrolDetails } from './Enrolment.js';
import { FaceCamera } from './FaceCamera.js';
import { useMoney } from './format.js';
import type { Fail } from './screen-state.js';

export function SessionView(props: {
  api: KioskClient;
  session: Session;
  /** The order being paid, for the title. */
  order: Order | null;
  stream: MediaStream | null;
  promptNow: boolean;
  onView: (v: Session) => void;
  onFail: Fail;
  onCancelled: () => void;
}) {
  const { t } = useTranslation();
  const money = useMoney();
  const { api, session: s, order, stream, promptNow } = props;
  const looking = s.phase === 'looking' || s.phase === 'prompt';
  const title = s.kind === 'payment' ? t('pay.title') : s.kind === 'enrol' ? t('enrol.title') : t('del.title');
  return (
    <section className="screen session" data-testid={`screen-${s.kind}`} data-phase={s.phase}>
      <h1>
        {title}
        {s.kind === 'payment' && order ? ` · ${money(order.total_minor, order.currency)}` : ''}
      </h1>
      {stream && looking && <FaceCamera api={api} stream={stream} session={s} onView={props.onView} />}
      {looking && (
        <p
          className={`hint ${promptNow ? 'hint-smile' : ''}`}
          data-testid={promptNow ? 'prompt-smile' : 'hint'}
          data-hint={promptNow ? 'now_smile' : (s.hint ?? '')}
        >
          {promptNow ? t('hint.now_smile') : s.hint ? t(`hint.${s.hint}`) : t('pay.working')}
        </p>
      )}
      {s.captures && (
        <p className="small" data-testid="captures">
          {t('enrol.captures', { good: Math.min(s.captures.good, s.captures.needed), needed: s.captures.needed })}
        </p>
      )}
      {looking && (
        <div className="progress" aria-label={t('pay.working')}>
          <span />
        </div>
      )}
      {s.phase === 'step_up' && <StepUp api={api} session={s} onView={props.onView} onFail={props.onFail} />}
      {s.phase === 'details' && <EnrolDetails api={api} session={s} onView={props.onView} onFail={props.onFail} />}
      <button
        className="secondary"
        onClick={() => void api.cancel({ session_id: s.session_id }).then(props.onCancelled)}
      >
        {t('pay.cancel')}
      </button>
    </section>
  );
}

/** The last four digits of the customer's phone: a payment's step-up, or a deletion's check. */
function StepUp(props: { api: KioskClient; session: Session; onView: (v: Session) => void; onFail: Fail }) {
  const { t } = useTranslation();
  const { api, session: s } = props;
  return (
    <div className="stepup" data-testid="screen-step-up">
      <h2>{s.kind === 'payment' ? t('stepUp.title') : t('del.title')}</h2>
      <p>{s.kind === 'payment' ? t('stepUp.text') : t('del.digits')}</p>
      {s.error?.code === 'STEP_UP_WRONG' && s.digits_left !== null && (
        <p className="error" data-testid="step-up-wrong" data-digits-left={s.digits_left}>
          {t('stepUp.wrong', { count: s.digits_left })}
        </p>
      )}
      <Keypad
        testId="keypad"
        onDone={(digits) =>
          void (
            s.kind === 'payment'
              ? api.stepUp({ session_id: s.session_id, phone_last4: digits })
              : api.finishDeletion({ session_id: s.session_id, phone_last4: digits })
          ).then((r) => (r.ok ? props.onView(r.value) : props.onFail(r.error.code, r.error.message)))
        }
      />
    </div>
  );
}
