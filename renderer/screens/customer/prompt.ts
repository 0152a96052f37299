// "Now smile!" is on screen exactly while the host says it is due: the host sends it when its
// own clock says (the moment it drew, never announced ahead) and counts the reaction from its
// send time; this screen only shows what the latest push says.
import type { SessionView } from '../../../electron/contract/api.js';

/** Whether "now smile" is on screen for this session (null: no session on screen). */
export function usePromptNow(session: SessionView | null): boolean {
  return session?.prompt === true && (session.phase === 'looking' || session.phase === 'prompt');
}
