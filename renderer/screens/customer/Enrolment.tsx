// Signing up for smile to pay: the consent (purpose, retention, deletion) before any capture,
// the name and phone once the captures are good, and the welcome. The consent sent is the
// text version shown and the language it was read in.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskApi, SessionView } from '../../../electron/contract/api.js';
import { CONSENT_RETENTION_DAYS, CONSENT_TEXT_VERSION } from '../../../electron/contract/constants.js';

export function ConsentView(props: { onAgree: () => void; onDecline: () => void }) {
  const { t } = useTranslation();
  return (
    <section className="screen consent" data-testid="screen-consent">
      <h1>{t('enrol.consentTitle')}</h1>
      <p>{t('enrol.purpose')}</p>
      <p>{t('enrol.retention', { days: CONSENT_RETENTION_DAYS })}</p>
      <p>{t('enrol.deletion')}</p>
      <button className="primary" data-testid="consent-agree" onClick={props.onAgree}>
        {t('enrol.agree')}
      </button>
      <button className="secondary" onClick={props.onDecline}>
        {t('enrol.decline')}
      </button>
    </section>
  );
}

export function EnrolledView(props: { initials: string; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <section className="screen enrolled" data-testid="screen-enrolled">
      <div className="big-mark ok">✓</div>
      <p>{t('enrol.done', { initials: props.initials })}</p>
      <button className="primary" onClick={props.onDone}>
        {t('paid.next')}
      </button>
    </section>
  );
}

export function EnrolDetails(props: {
  api: KioskApi;
  session: SessionView;
  onView: (v: SessionView) => void;
  onFail: (code: string, message: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const [displayName, setDisplayName] = useState('');
  const [phone, setPhone] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (): Promise<void> => {
    setBusy(true);
    const r = await props.api.finishEnrolment({
      session_id: props.session.session_id,
      consent: { text_version: CONSENT_TEXT_VERSION, language: i18n.language as 'en' | 'de' | 'zh', agreed: true },
      display_name: displayName.trim(),
      phone: phone.trim(),
    });
    setBusy(false);
    if (r.ok) props.onView(r.value);
    else props.onFail(r.error.code, r.error.message);
  };
  return (
    <form
      className="details"
      data-testid="enrol-details"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label>
        {t('enrol.name')}
        <input
          data-testid="enrol-name"
          value={displayName}
          maxLength={60}
          onChange={(e) => setDisplayName(e.target.value)}
        />
      </label>
      <label>
        {t('enrol.phone')}
        <input
          data-testid="enrol-phone"
          inputMode="tel"
          value={phone}
          maxLength={20}
          onChange={(e) => setPhone(e.target.value)}
        />
      </label>
      <button
        className="primary"
        data-testid="enrol-finish"
        disabled={busy || displayName.trim() === '' || phone.replace(/\D/g, '').length < 6}
      >
        {t('enrol.finish')}
      </button>
    </form>
  );
}
