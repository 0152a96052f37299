// PINs at rest: scrypt (RFC 7914) with a random salt, in a self-describing string, so that
// the cost can be raised later and old hashes still verify. A 4-8 digit PIN (6-8 for a
// manager) has little entropy: the slow hash only raises the price of a stolen file, the lock-out after a few
// failures is what protects a PIN at the kiosk.

import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (pin: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> =>
  new Promise((resolve, reject) => scryptCb(pin, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))));

/** N = 2^15, r = 8, p = 1: about 32 MiB and a tenth of a second per check here. */
export const PIN_SCRYPT = { N: 1 << 15, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** 128 * N * r bytes, with room: scrypt refuses to run above maxmem. */
const MAXMEM = 128 * PIN_SCRYPT.N * PIN_SCRYPT.r * 2;

export const PIN_DIGITS_MIN = 4;
export const PIN_DIGITS_MAX = 8;
/** A manager's PIN moves money above the cashier's limit, closes days and resets others' PINs:
 * 10^6 choices, not 10^4 (with the growing lock-outs, years of guessing at the kiosk). */
export const MANAGER_PIN_DIGITS_MIN = 6;

/** The fewest digits a PIN of this role may have. */
export const pinDigitsMin = (role: 'cashier' | 'manager'): number =>
  role === 'manager' ? MANAGER_PIN_DIGITS_MIN : PIN_DIGITS_MIN;

/** Why a PIN cannot be used by a member of `role`, or null. */
export function pinProblem(pin: unknown, role: 'cashier' | 'manager' = 'cashier'): string | null {
  const min = pinDigitsMin(role);
  if (typeof pin !== 'string' || !/^\d+$/.test(pin)) return `a ${role}'s PIN is ${min} to ${PIN_DIGITS_MAX} digits`;
  if (pin.length < min || pin.length > PIN_DIGITS_MAX)
    return `a ${role}'s PIN is ${min} to ${PIN_DIGITS_MAX} digits, got ${pin.length}`;
  if (/^(\d)\1+$/.test(pin) || '0123456789'.includes(pin) || '9876543210'.includes(pin))
    return 'a PIN may not be one repeated digit or a run like 1234';
  return null;
}

export async function hashPin(pin: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await scrypt(pin, salt, KEY_BYTES, { ...PIN_SCRYPT, maxmem: MAXMEM });
  return `scrypt$${PIN_SCRYPT.N}$${PIN_SCRYPT.r}$${PIN_SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function checkPin(pin: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt')
    throw new Error('assertion failed: a stored PIN hash is not in scrypt$N$r$p$salt$key form');
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  const key = await scrypt(pin, salt, expected.length, { N, r, p, maxmem: 128 * N * r * 2 });
  return timingSafeEqual(key, expected);
}
