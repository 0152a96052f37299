// A staff member's session on this screen: signed in with a PIN, every call made with its
// token, ended on sign-out or idle_sign_out_ms after the member's last touch, and then the kiosk
// goes back to the customer's screen. The host ends a session that long after its last call,
// so a touch after half of that refreshes the list (a call) and a member at work stays signed in.
import { useCallback, useEffect, useRef, useState, type MutableRefObject } from 'react';
import type { ApiResult, KioskClient, StaffSignIn } from '../../../electron/contract/api.js';
import type { PanelContext } from '../manager/manager-panels.js';

/** A call with the session's token (its use keeps the session alive); null when it ended. */
export type WithToken = PanelContext['withToken'];

export interface StaffSessionState {
  session: StaffSignIn | null;
  /** A member signed in: their use of the screen counts from now. */
  begin: (s: StaffSignIn) => void;
  /** Signs the token out (when given) and leaves the staff screens. */
  signOut: (token: string | null) => void;
  withToken: WithToken;
  /** The member's last touch (idle sign-out counts from it). */
  lastTouch: MutableRefObject<number>;
  /** The session's last call to the host: background loads are calls, not use. */
  lastCall: MutableRefObject<number>;
}

export function useStaffSession(api: KioskClient, onExit: () => void): StaffSessionState {
  const [session, setSession] = useState<StaffSignIn | null>(null);
  const lastTouch = useRef(Date.now());
  const lastCall = useRef(Date.now());

  const signOut = useCallback(
    (token: string | null): void => {
      if (token !== null) void api.staffSignOut({ token });
      onExit();
    },
    [api, onExit],
  );

  /** An ended session (idle on the host, or signed out elsewhere) goes back to the customer's screen. */
  const withToken = useCallback(
    async <T>(run: (token: string) => Promise<ApiResult<T>>): Promise<ApiResult<T> | null> => {
      if (!session) return null;
      const r = await run(session.token);
      if (!r.ok && r.error.code === 'STAFF_SESSION_INVALID') {
        signOut(null);
        return null;
      }
      lastCall.current = Date.now();
      return r;
    },
    [session, signOut],
  );

  const begin = (s: StaffSignIn): void => {
    lastTouch.current = Date.now();
    lastCall.current = Date.now();
    setSession(s);
  };
  return { session, begin, signOut, withToken, lastTouch, lastCall };
}

/** Idle sign-out: idle_sign_out_ms after the member's last touch the kiosk goes back to the
 * customer's screen; a touch after half of that calls `refresh`, which keeps the host's session. */
export function useIdleSignOut(staff: StaffSessionState, refresh: () => Promise<void>): void {
  const { session, signOut, lastTouch, lastCall } = staff;
  useEffect(() => {
    if (!session) return;
    const touched = (): void => {
      lastTouch.current = Date.now();
      if (Date.now() - lastCall.current > session.idle_sign_out_ms / 2) void refresh();
    };
    window.addEventListener('pointerdown', touched);
    window.addEventListener('keydown', touched);
    const timer = setInterval(() => {
      if (Date.now() - lastTouch.current >= session.idle_sign_out_ms) signOut(session.token);
    }, 1_000);
    return () => {
      window.removeEventListener('pointerdown', touched);
      window.removeEventListener('keydown', touched);
      clearInterval(timer);
    };
  }, [session, refresh, signOut, lastTouch, lastCall]);
}
