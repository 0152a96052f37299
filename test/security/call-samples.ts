// One well-formed request for every call of the kiosk's contract (its schema accepts it), for the
// attack tests that mutate requests field by field: text.test.ts and kiosk-fuzz.test.ts. Keyed
// by call name, so a new call does not compile until it has a sample here. The tokens and ids
// are well-formed but name nothing: a handler refuses them with a code of its own.
import type { CallName, RequestOf } from '../../electron/contract/api.js';

export const SAMPLE_TOKEN = 'A'.repeat(43);

const token = SAMPLE_TOKEN;
export const SAMPLES: { [K in CallName]: RequestOf<K> } = {
  status: {},
  reportClient: { camera: { ok: true, detail: 'camera 640x480' } },
  menu: {},
  menuEditor: { token },
  menuChange: {
    token,
    change: {
      kind: 'item',
      op: 'change',
      item_id: 'tea',
      category_id: 'drinks',
      name: { en: 'Tea', de: 'Tee', zh: '茶' },
      price_minor: 300,
      tax_category: 'drinks',
      retired: false,
    },
    reason: 'new price',
  },
  menuStock: { token, item_id: 'tea', in_stock: false, reason: 'ran out' },
  createOrder: { lines: [{ item_id: 'tea', quantity: 1, options: ['iced'], note: 'no sugar' }] },
  currentOrder: {},
  getOrder: { order_id: 'o-missing' },
  startPayment: { order_id: 'o-missing' },
  stepUp: { session_id: 's-missing', phone_last4: '0042' },
  cancel: { session_id: 's-missing' },
  receipt: { seq: 1, payment_id: 'p-missing' },
  startEnrolment: {},
  finishEnrolment: {
    session_id: 's-missing',
    consent: { text_version: 'consent-2026-01', language: 'en', agreed: true },
    display_name: 'Dana Ort',
    phone: '+49 170 0000042',
  },
  startDeletion: {},
  finishDeletion: { session_id: 's-missing', phone_last4: '0042' },
  staffList: { token },
  printers: { token },
  setPrinter: {
    token,
    printer: {
      printer_id: 'bar',
      name: 'Bar',
      role: 'kitchen',
      address: { kind: 'tcp', host: '192.0.2.10', port: 9100 },
      columns: 42,
      categories: ['drinks'],
      language: null,
    },
    reason: 'the new bar printer',
  },
  reprint: { token, what: 'receipt', seq: 1 },
  printXReport: { token },
  drawerOpenings: { token },
  staffSignIn: { staff_id: 'nobody', pin: '5083' },
  staffSignOut: { token },
  dayEntries: { token },
  payOrder: { token, order_id: 'o-missing', method: 'cash' },
  refund: { token, payment_seq: 1, amount_minor: 100, reason: 'cold soup' },
  voidPayment: { token, payment_seq: 1, reason: 'wrong order' },
  closeDay: { token, business_day: '2026-11-21' },
  refundable: { token, payment_seq: 1 },
  staffReceipt: { token, seq: 1 },
  addDiscount: { token, order_id: 'o-missing', line: null, kind: 'percent', value: 10, reason: 'birthday' },
  removeDiscount: { token, order_id: 'o-missing', index: 0 },
  setService: { token, order_id: 'o-missing', service: 'take_away' },
  splitOrder: { token, order_id: 'o-missing', shares: 2 },
  openShift: { token, float_minor: 10_000 },
  cashMove: { token, direction: 'out', amount_minor: 500, reason: 'bread from the bakery' },
  tillReport: { token },
  closeShift: { token, counted: [{ denomination_minor: 1_000, count: 3 }] },
  setTax: { token, change: { kind: 'rate', rate_id: 'A', rate_bp: 1_900 }, reason: 'the new rate' },
  exportDay: { token, business_day: '2026-11-21', format: 'csv' },
  dayReport: { token, business_day: '2026-11-21', filters: { customer: 'D.O.', kinds: ['payment'] } },
  settings: { token },
  setSetting: { token, key: 'store_languages', value: 'en,de', reason: 'tourists' },
  teamList: { token },
  teamAdd: { token, staff_id: 'di', display_name: 'Di', role: 'cashier', pin: '6194' },
  teamSetDisabled: { token, staff_id: 'di', disabled: true },
  teamResetPin: { token, staff_id: 'di', pin: '6194' },
  teamUnlock: { token, staff_id: 'di' },
  changeOwnPin: { token, current_pin: '6194', new_pin: '7305' },
  leaveKioskMode: { token, pin: '739154', reason: 'maintenance' },
  sendOrder: { token, lines: [{ item_id: 'ramen', quantity: 2, note: 'spicy' }], note: 'table 4' },
  orderBoard: { token },
  advanceOrder: { token, order_id: 'o-missing', status: 'preparing' },
  integrity: { token },
  verifyNow: { token },
  findCustomers: { token, query: 'Dana' },
  deleteCustomer: { token, customer_id: 'c-missing', reason: 'asked at the counter' },
  consentRecords: { token, customer_id: 'c-missing' },
  pairRequest: {},
  pairApprove: { token, code: '123456', pin: '739154', label: 'till 2' },
  screensList: { token },
  screenRevoke: { token, screen_id: 'scr-missing', reason: 'stolen' },
};

/** Every string in a request, by its path (["lines", 0, "note"]). */
export function stringPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringPaths(v, [...path, i]));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => stringPaths(v, [...path, k]));
  return [];
}

/** A copy of `value` with the leaf at `path` replaced. */
export function withLeaf(value: unknown, path: (string | number)[], leaf: unknown): unknown {
  if (path.length === 0) return leaf;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy: unknown[] = [...(value as unknown[])];
    copy[head as number] = withLeaf(copy[head as number], rest, leaf);
    return copy;
  }
  const copy = { ...(value as Record<string, unknown>) };
  copy[head!] = withLeaf(copy[head!], rest, leaf);
  return copy;
}
