// What the parts of the signed-in staff screen share.
import type { ResponseOf } from '../../../electron/contract/api.js';

export type Day = ResponseOf<'dayEntries'>;
export type Money = (minor: number, currency: string) => string;

/** A staff PIN: 4 to 8 digits (the host checks it again). */
export const PIN_MIN = 4;
export const PIN_MAX = 8;
