// The prompt is shown at the moment the host drew (prompt_at_ms, on the capture clock), not
// when the first frame after it comes back: the customer's reaction is then measured from
// what they saw, without the pipeline's latency in it.
import { useEffect, useState } from 'react';
import type { SessionView } from '../../../electron/contract/api.js';
import { captureNowMs } from '../../camera/capture.js';

/** Whether "now smile" is on screen for this session (null: no session on screen). */
export function usePromptNow(session: SessionView | null): boolean {
  const promptAtMs = session?.prompt_at_ms ?? null;
  const phase = session?.phase ?? null;
  const [promptNow, setPromptNow] = useState(false);
  useEffect(() => {
    if (phase === 'prompt') return setPromptNow(true);
    if (phase !== 'looking' || promptAtMs === null) return setPromptNow(false);
    const waitMs = promptAtMs - captureNowMs();
    setPromptNow(waitMs <= 0);
    if (waitMs <= 0) return;
    const timer = setTimeout(() => setPromptNow(true), waitMs);
    return () => clearTimeout(timer);
  }, [phase, promptAtMs]);
  return promptNow;
}
