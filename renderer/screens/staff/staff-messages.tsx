// The staff screen's one message line: an error or a notice. Messages are kept as how to say
// them, so that they follow a change of language; the host's staff errors are said in the
// screen's language where a text exists, else in the host's own words.
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../../electron/contract/api.js';

/** A message in the current language, said when shown. */
export type Say = () => string;

export interface StaffMessages {
  error: Say | null;
  notice: Say | null;
  setError: (say: Say | null) => void;
  setNotice: (say: Say | null) => void;
  /** The host's error in the current language. */
  errorText: (e: ApiError) => Say;
}

export function useStaffMessages(): StaffMessages {
  const { t, i18n } = useTranslation();
  const [error, setErrorSay] = useState<Say | null>(null);
  const [notice, setNoticeSay] = useState<Say | null>(null);
  const setError = (say: Say | null): void => setErrorSay(() => say);
  const setNotice = (say: Say | null): void => setNoticeSay(() => say);

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
  return { error, notice, setError, setNotice, errorText };
}

export function Messages(props: { messages: StaffMessages }) {
  const { error, notice } = props.messages;
  return (
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
}
