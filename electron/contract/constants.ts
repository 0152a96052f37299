// Channel names and time limits of every API call, without schemas: what the renderer's
// clients need at run time (the renderer imports the contract's schemas as types only, so
// no validator ships to the page; the host validates). api.ts builds its table from this.
export const CALLS = {
  status: { channel: 'kiosk:status', timeout_ms: 3_000 },
  reportClient: { channel: 'kiosk:report-client', timeout_ms: 3_000 },
  menu: { channel: 'orders:menu', timeout_ms: 3_000 },
  createOrder: { channel: 'orders:create', timeout_ms: 3_000 },
  currentOrder: { channel: 'orders:current', timeout_ms: 3_000 },
  getOrder: { channel: 'orders:get', timeout_ms: 3_000 },
  startPayment: { channel: 'payment:start', timeout_ms: 5_000 },
  stepUp: { channel: 'payment:step-up', timeout_ms: 5_000 },
  cancel: { channel: 'session:cancel', timeout_ms: 2_000 },
  receipt: { channel: 'receipts:get', timeout_ms: 3_000 },
  startEnrolment: { channel: 'enrol:start', timeout_ms: 5_000 },
  finishEnrolment: { channel: 'enrol:finish', timeout_ms: 20_000 },
  startDeletion: { channel: 'delete:start', timeout_ms: 5_000 },
  finishDeletion: { channel: 'delete:finish', timeout_ms: 20_000 },
  // Pairing a customer screen: the manager's approval checks a PIN (scrypt).
  pairRequest: { channel: 'pairing:request', timeout_ms: 3_000 },
  pairApprove: { channel: 'pairing:approve', timeout_ms: 5_000 },
  screensList: { channel: 'pairing:list', timeout_ms: 3_000 },
  screenRevoke: { channel: 'pairing:revoke', timeout_ms: 3_000 },
  // Staff (cashier and manager): PIN checks are scrypt (about 100 ms each).
  staffList: { channel: 'staff:list', timeout_ms: 3_000 },
  staffSignIn: { channel: 'staff:sign-in', timeout_ms: 5_000 },
  staffSignOut: { channel: 'staff:sign-out', timeout_ms: 3_000 },
  dayEntries: { channel: 'day:entries', timeout_ms: 5_000 },
  payOrder: { channel: 'orders:pay-at-counter', timeout_ms: 5_000 },
  refund: { channel: 'payments:refund', timeout_ms: 5_000 },
  voidPayment: { channel: 'payments:void', timeout_ms: 5_000 },
  closeDay: { channel: 'day:close', timeout_ms: 10_000 },
  exportDay: { channel: 'day:export', timeout_ms: 10_000 },
  // The manager's Reports panel: one business day read and verified (a busy day is ~2,000 entries).
  dayReport: { channel: 'day:report', timeout_ms: 10_000 },
  settings: { channel: 'settings:get', timeout_ms: 3_000 },
  setSetting: { channel: 'settings:set', timeout_ms: 5_000 },
  // Staff management (manager; changeOwnPin any member): adding and PIN changes hash with scrypt.
  teamList: { channel: 'team:list', timeout_ms: 3_000 },
  teamAdd: { channel: 'team:add', timeout_ms: 5_000 },
  teamSetDisabled: { channel: 'team:set-disabled', timeout_ms: 3_000 },
  teamResetPin: { channel: 'team:reset-pin', timeout_ms: 5_000 },
  teamUnlock: { channel: 'team:unlock', timeout_ms: 3_000 },
  changeOwnPin: { channel: 'team:change-own-pin', timeout_ms: 5_000 },
  // Manager only: the Electron window leaves kiosk (full-screen) mode; recorded in the ledger.
  leaveKioskMode: { channel: 'kiosk:leave-kiosk-mode', timeout_ms: 3_000 },
  // The live order board (cashier or manager).
  sendOrder: { channel: 'orders:send-to-customer', timeout_ms: 3_000 },
  orderBoard: { channel: 'orders:board', timeout_ms: 3_000 },
  advanceOrder: { channel: 'orders:advance', timeout_ms: 3_000 },
  // The manager's integrity and privacy panels. A full verification reads every entry (about
  // 15,000 a second here): 30 s (the contract's most) covers some 400,000 entries; a longer one
  // still finishes and is recorded, and the panel shows it when it next loads.
  integrity: { channel: 'integrity:get', timeout_ms: 5_000 },
  verifyNow: { channel: 'integrity:verify', timeout_ms: 30_000 },
  findCustomers: { channel: 'privacy:find', timeout_ms: 5_000 },
  // Deletes at once on this kiosk, then tells the settlement server (its HTTP timeout is 10 s).
  deleteCustomer: { channel: 'privacy:delete', timeout_ms: 20_000 },
  consentRecords: { channel: 'privacy:consent', timeout_ms: 3_000 },
} as const;

export type CallNameOf = keyof typeof CALLS;

export const WS_PATH = '/api/ws';
export const HTTP_API_PREFIX = '/api/call/';
/** Requests a client may have in flight on one socket; more are refused with API_TOO_LARGE. */
export const WS_IN_FLIGHT_MAX = 16;
/** Server push (no id, never an answer): an order changed. Sent to every connected screen over
 * the WebSocket, and to the window over IPC in Electron. */
export const PUSH_ORDER_CHANGED = 'orders:changed';
/** Server push to the screen whose session it is: the session as it now stands (after each of its
 * frames, and when "now smile" is due). */
export const PUSH_SESSION = 'session:view';
/** Server push: a frame that names no open session of this screen, or cannot be read. */
export const PUSH_FRAME_REFUSED = 'session:frame-refused';
/** Electron: the renderer's camera frames to the host (ipcRenderer.send, binary). */
export const FRAMES_CHANNEL = 'frames:push';
/** Browser mode: the one-time link printed at start (GET <PAIR_LINK_PATH><secret>) and the
 * pairing-code claim (POST, JSON {request_id}); both set the device token cookie. */
export const PAIR_LINK_PATH = '/pair/';
export const PAIR_CLAIM_PATH = '/api/pair/claim';
/** The device token's cookie (HttpOnly, SameSite=Strict): the page's script never reads it. */
export const SCREEN_COOKIE = 'smile_screen';
/** A socket whose unsent pushes pass this many bytes is too slow: it is closed (code 1013) and
 * its client reconnects and reloads the board, instead of the host buffering without bound. */
export const WS_PUSH_BUFFERED_BYTES_MAX = 1024 * 1024;
/** Screens connected at once over the WebSocket; more are closed with code 1013. */
export const WS_CLIENTS_MAX = 32;
/** The preload bridge's name on window (Electron). */
export const BRIDGE_NAME = 'smileKiosk';
