// Text the host answers with (a server's message, a reason given) cut to the contract's bound,
// marked where it was cut, so that a long one is shown shortened instead of breaking the answer.
import { TEXT_LENGTH_MAX } from '../contract/constants.js';

export function clip(s: string, max = TEXT_LENGTH_MAX): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
