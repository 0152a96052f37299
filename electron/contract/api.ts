// The kiosk's API contract: every call the renderer (untrusted) can make on the host. Each call
// is written once, in the file of its domain (calls/<domain>.ts), as one entry with its channel,
// request and response schemas and time limit; this file puts the domains together. Both
// transports (Electron IPC through the preload bridge, and WebSocket/HTTP in browser mode) are
// derived from this table, the host routes each call to the service of its domain
// (electron/host/transport/routes.ts), and the renderer's two clients implement the same
// `KioskApi` type. No I/O.
//
// The renderer imports this file as types only (its values would bring zod to the page); what
// it needs at run time is in constants.ts.
import { z } from 'zod';
import type { ApiResult } from './errors.js';
import type { PUSH_FRAME_REFUSED, PUSH_MENU_CHANGED, PUSH_ORDER_CHANGED, PUSH_SESSION } from './constants.js';
import type { MenuEvent } from './calls/menu.js';
import type { OrderEvent } from './calls/orders.js';
import { statusCalls } from './calls/status.js';
import { orderCalls } from './calls/orders.js';
import { paymentCalls } from './calls/payment.js';
import { receiptCalls } from './calls/receipts.js';
import { enrolmentCalls } from './calls/enrolment.js';
import { deletionCalls } from './calls/deletion.js';
import { signInCalls } from './calls/sign-in.js';
import { dayCalls } from './calls/day.js';
import { reportCalls } from './calls/reports.js';
import { settingsCalls } from './calls/settings.js';
import { teamCalls } from './calls/team.js';
import { boardCalls } from './calls/board.js';
import { integrityCalls } from './calls/integrity.js';
import { privacyCalls } from './calls/privacy.js';
import { checkoutCalls } from './calls/checkout.js';
import { tillCalls } from './calls/till.js';
import { pairingCalls } from './calls/pairing.js';
import { printingCalls } from './calls/printing.js';
import { menuCalls } from './calls/menu.js';
import type { SessionView } from './calls/payment.js';

export * from './constants.js';
export * from './errors.js';
export * from './entries.js';
export { Localised } from './shapes.js';
export * from './calls/status.js';
export * from './calls/orders.js';
export * from './calls/payment.js';
export * from './calls/receipts.js';
export * from './calls/enrolment.js';
export * from './calls/deletion.js';
export * from './calls/sign-in.js';
export * from './calls/day.js';
export * from './calls/reports.js';
export * from './calls/settings.js';
export * from './calls/team.js';
export * from './calls/board.js';
export * from './calls/integrity.js';
export * from './calls/privacy.js';
export * from './calls/checkout.js';
export * from './calls/till.js';
export * from './calls/pairing.js';
export * from './calls/printing.js';
export * from './calls/menu.js';

/** The calls by domain: each domain is one service on the host, which answers all of its calls. */
export const DOMAINS = {
  status: statusCalls,
  orders: orderCalls,
  payment: paymentCalls,
  receipts: receiptCalls,
  enrolment: enrolmentCalls,
  deletion: deletionCalls,
  signIn: signInCalls,
  day: dayCalls,
  reports: reportCalls,
  settings: settingsCalls,
  team: teamCalls,
  board: boardCalls,
  integrity: integrityCalls,
  privacy: privacyCalls,
  checkout: checkoutCalls,
  till: tillCalls,
  pairing: pairingCalls,
  printing: printingCalls,
  menu: menuCalls,
} as const;
export type Domain = keyof typeof DOMAINS;
/** The call names of one domain. */
export type CallsOf<D extends Domain> = keyof (typeof DOMAINS)[D] & string;

type Intersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
type AllCalls = Intersection<(typeof DOMAINS)[Domain]>;

/** Every call, by name (the domains' entries side by side). */
export type Api = { readonly [K in keyof AllCalls]: AllCalls[K] };
export type CallName = keyof Api & string;
export type RequestOf<K extends CallName> = z.input<Api[K]['request']>;
export type ResponseOf<K extends CallName> = z.output<Api[K]['response']>;

function assemble(): { api: Api; domainOf: ReadonlyMap<CallName, Domain> } {
  const all: Record<string, unknown> = {};
  const domainOf = new Map<CallName, Domain>();
  for (const [domain, calls] of Object.entries(DOMAINS) as [Domain, Record<string, unknown>][]) {
    for (const [name, spec] of Object.entries(calls)) {
      if (name in all) throw new Error(`assertion failed: call ${name} is in two domains`);
      all[name] = spec;
      domainOf.set(name as CallName, domain);
    }
  }
  return { api: all as Api, domainOf };
}
const assembled = assemble();
export const api: Api = assembled.api;
/** Call name -> the domain (and so the host service) it belongs to. */
export const DOMAIN_OF: ReadonlyMap<CallName, Domain> = assembled.domainOf;

/** The interface the renderer codes against; one implementation per transport. */
export type KioskApi = { [K in CallName]: (request: RequestOf<K>) => Promise<ApiResult<ResponseOf<K>>> };

/** Channel name -> call name, for the transports. */
export const CALL_BY_CHANNEL: ReadonlyMap<string, CallName> = new Map(
  (Object.keys(api) as CallName[]).map((name) => [api[name].channel, name]),
);
if (CALL_BY_CHANNEL.size !== Object.keys(api).length) throw new Error('assertion failed: two calls share a channel');

// ---- transport envelopes (WebSocket) ------------------------------------------------------

export const WsRequest = z.object({
  id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  channel: z.string().max(64),
  request: z.unknown(),
});
export type WsRequest = z.infer<typeof WsRequest>;
export interface WsResponse {
  id: number;
  result: ApiResult<unknown>;
}
/** A server push on the same socket: no id, never an answer to a call. */
export type WsPush =
  | { push: typeof PUSH_ORDER_CHANGED; event: OrderEvent }
  | { push: typeof PUSH_SESSION; event: SessionView }
  | { push: typeof PUSH_FRAME_REFUSED; event: { seq: number | null; code: string; message: string } }
  | { push: typeof PUSH_MENU_CHANGED; event: MenuEvent };

/** Server pushes as the renderer receives them: an order event, or null after the connection
 * was lost and is back (pushes may have been missed: reload the board). */
export type OrderListener = (event: OrderEvent | null) => void;
/** A customer screen's session pushes: each view of its sessions, or a frame refused before any
 * session could be named. */
export type SessionPushEvent =
  { kind: 'view'; view: SessionView } | { kind: 'frame_refused'; seq: number | null; code: string; message: string };
export type SessionListener = (event: SessionPushEvent) => void;
/** The menu changed (an edit, an item 86'd or back): read it again. */
export type MenuListener = (event: MenuEvent) => void;
/** What the screens code against: the calls, the order pushes, and the customer screen's camera
 * frames out (binary messages, frames.ts; false when they cannot be sent now) and its session
 * pushes in. */
export type KioskClient = KioskApi & {
  onOrderChanged(listener: OrderListener): () => void;
  sendFrame(message: Uint8Array): boolean;
  onSession(listener: SessionListener): () => void;
  onMenuChanged(listener: MenuListener): () => void;
};
