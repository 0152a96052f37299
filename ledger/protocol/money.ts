// Money on the wire and in the ledger: integer minor units with an ISO 4217 currency.
// Never a float. Runs anywhere.

/** Active ISO 4217 codes by number of minor-unit digits (ISO 4217 list one, 2024). */
const EXPONENT_0 = 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF';
const EXPONENT_3 = 'BHD IQD JOD KWD LYD OMR TND';
const EXPONENT_4 = 'CLF UYW';
const EXPONENT_2 =
  'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD ' +
  'CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS ' +
  'GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL ' +
  'MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK ' +
  'PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS ' +
  'TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG';

const EXPONENTS: ReadonlyMap<string, number> = new Map([
  ...EXPONENT_0.split(' ').map((c) => [c, 0] as const),
  ...EXPONENT_2.split(' ').map((c) => [c, 2] as const),
  ...EXPONENT_3.split(' ').map((c) => [c, 3] as const),
  ...EXPONENT_4.split(' ').map((c) => [c, 4] as const),
]);

/**
 * The largest amount one entry may carry: 10^11 minor units (a billion dollars). Far above
 * any restaurant bill, far below 2^53, so sums of a whole day's entries stay exact.
 */
export const AMOUNT_MINOR_MAX = 100_000_000_000;

export function isCurrency(code: unknown): code is string {
  return typeof code === 'string' && EXPONENTS.has(code);
}

export function currencyExponent(code: string): number {
  const exponent = EXPONENTS.get(code);
  if (exponent === undefined) throw new RangeError(`expected an ISO 4217 currency code, got ${JSON.stringify(code)}`);
  return exponent;
}

/** Why an amount is not acceptable, or null when it is. */
export function amountProblem(amountMinor: unknown): string | null {
  if (typeof amountMinor !== 'number' || !Number.isSafeInteger(amountMinor)) {
    return `amount_minor must be an integer number of minor units, got ${JSON.stringify(amountMinor)}`;
  }
  if (amountMinor <= 0) return `amount_minor must be positive, got ${amountMinor}`;
  if (amountMinor > AMOUNT_MINOR_MAX) return `amount_minor must be at most ${AMOUNT_MINOR_MAX}, got ${amountMinor}`;
  return null;
}

/** "12.34 EUR" for people; never parsed back. */
export function formatMoney(amountMinor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  const sign = amountMinor < 0 ? '-' : '';
  const digits = String(Math.abs(amountMinor)).padStart(exponent + 1, '0');
  const whole = exponent === 0 ? digits : digits.slice(0, -exponent);
  const fraction = exponent === 0 ? '' : '.' + digits.slice(-exponent);
  return `${sign}${whole}${fraction} ${currency}`;
}
