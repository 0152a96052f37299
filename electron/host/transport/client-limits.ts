// Bounds on what one client of browser mode may do, whoever it is (signed in or not): a token
// bucket per client address and class of call, and WebSocket slots per address with some kept
// for the kiosk's own machine. The calls' own rules (a lock-out per member, SESSIONS_MAX, the
// receipt's payment id, the pairing bounds) still apply; these stop one device from flooding the kiosk (every status
// call probed the settlement server, every createOrder filled the board) or guessing across
// members faster than people do. In memory: a restart forgets the counts, which costs an
// attacker more time than it buys.
//
// A client is its paired customer screen, if it speaks for one (its device token: only a manager
// or the start's one-time link makes one, and one token used from many devices is still one
// client), else its address: a device in the shop. The kiosk's own machine (127.0.0.1, ::1) holds
// the customer screen; it is limited like any other client, but its sockets have seats kept and
// calls only the kiosk's own screen makes (its camera report) come from it alone. A paired
// customer screen's camera frames (binary messages) are bounded per screen, in their own class:
// they come at camera rate, and every other class would either refuse them or let a flood by.
import type { CallName } from '../../contract/api.js';

export type CallClass = 'guess' | 'create' | 'menu' | 'report' | 'status' | 'frame' | 'call';

/** Each class's bucket: `burst` calls at once, then `per_s` a second, per client. */
export const CALL_CLASS_LIMITS: Readonly<Record<CallClass, { burst: number; per_s: number }>> = {
  // A PIN, phone digits, a receipt's payment id, a pairing link, the staff list: people type them a few times a
  // minute; 60 at once and 2 a second stop a script spraying every member (each member's own
  // lock-out still holds at 5).
  guess: { burst: 60, per_s: 2 },
  // A new order or face session: a customer makes one every minute or so (the open kiosk orders
  // are bounded besides: orders.ts KIOSK_ORDERS_OPEN_MAX).
  create: { burst: 60, per_s: 1 },
  // A menu change or an 86: each is a signed ledger entry. A manager typing in a new menu makes
  // one every few seconds, a cashier 86es a few items a service; a bucket of its own, so that a
  // manager editing the menu on the counter's machine never holds up its orders (create).
  menu: { burst: 120, per_s: 1 },
  // The screen's camera report: once at start, and a re-measure every 3 s while too slow.
  report: { burst: 60, per_s: 0.5 },
  // Status polls: every screen every 2 s, a few screens on one machine (the settlement probe
  // behind them is cached: self-check.ts).
  status: { burst: 60, per_s: 5 },
  // A paired screen's camera frames, per screen (not per device: one machine may show several
  // paired screens): the screen sends FRAME_RATE_MAX (15) a second with FRAMES_IN_FLIGHT_MAX (2)
  // unanswered; twice that leaves room for a 30 fps camera, and a second's burst for a screen
  // catching up after a stall. Beyond it a frame is refused before it is parsed or queued for
  // the vision worker.
  frame: { burst: 30, per_s: 30 },
  // Everything else, from a few screens on one device. The kiosk's own machine is not held to
  // this class (each socket has WS_IN_FLIGHT_MAX calls in flight at most).
  call: { burst: 240, per_s: 120 },
};

const CLASS_OF: Partial<Record<CallName, CallClass>> = {
  staffList: 'guess',
  staffSignIn: 'guess',
  changeOwnPin: 'guess',
  leaveKioskMode: 'guess',
  stepUp: 'guess',
  finishDeletion: 'guess',
  receipt: 'guess',
  createOrder: 'create',
  startPayment: 'create',
  startEnrolment: 'create',
  startDeletion: 'create',
  sendOrder: 'create',
  reportClient: 'report',
  status: 'status',
  // A pairing code is a new one each time (the desk bounds the open ones); approving one takes a
  // manager's PIN.
  pairRequest: 'create',
  pairApprove: 'guess',
  // Paper: a re-print or an X report is asked for a few times an hour; a flood empties the roll.
  reprint: 'create',
  printXReport: 'create',
  menuChange: 'menu',
  menuStock: 'menu',
};
export const classOf = (name: CallName): CallClass => CLASS_OF[name] ?? 'call';

/** Calls only the kiosk's own machine makes: the report of its camera (a device elsewhere
 * reporting would decide the kiosk's self-check; the host measures its own vision). */
export const OWN_MACHINE_CALLS: ReadonlySet<CallName> = new Set<CallName>(['reportClient']);

/** Clients whose buckets are kept at once; the least recently seen go first. */
export const CLIENTS_TRACKED_MAX = 1_024;

/** Sockets one address (other than the kiosk's own machine) may hold: a staff tablet has one or two. */
export const WS_CLIENTS_PER_ADDRESS_MAX = 4;
/** Seats kept for the kiosk's own machine (its customer screen, its staff screen), whatever others hold. */
export const WS_OWN_MACHINE_SEATS = 4;

/** The kiosk's own machine: loopback as 127.0.0.1 or ::1 (other 127/8 addresses stand for other
 * devices in the tests, which bind to them to be different clients). */
export function isOwnMachine(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

interface Bucket {
  tokens: number;
  at_ms: number;
}

export class ClientLimiter {
  private readonly clients = new Map<string, Map<CallClass, Bucket>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Takes one call of class `cls` for `client`: null, or how long until one is allowed. */
  take(client: string, cls: CallClass): { retry_after_ms: number } | null {
    const { burst, per_s } = CALL_CLASS_LIMITS[cls];
    let buckets = this.clients.get(client);
    if (buckets) this.clients.delete(client);
    else buckets = new Map();
    this.clients.set(client, buckets); // most recently seen last
    while (this.clients.size > CLIENTS_TRACKED_MAX) this.clients.delete(this.clients.keys().next().value!);
    const t = this.now();
    const b = buckets.get(cls) ?? { tokens: burst, at_ms: t };
    b.tokens = Math.min(burst, b.tokens + ((t - b.at_ms) / 1000) * per_s);
    b.at_ms = t;
    buckets.set(cls, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return null;
    }
    return { retry_after_ms: Math.ceil(((1 - b.tokens) / per_s) * 1000) };
  }
}

/** WebSocket seats: WS_CLIENTS_MAX in all, WS_CLIENTS_PER_ADDRESS_MAX per other address, and
 * WS_OWN_MACHINE_SEATS that only the kiosk's own machine may take. */
export class SocketSeats {
  private readonly held = new Map<string, number>();
  private total = 0;

  constructor(private readonly max: number) {
    if (!(WS_OWN_MACHINE_SEATS < max))
      throw new Error(`assertion failed: ${WS_OWN_MACHINE_SEATS} kept of ${max} seats`);
  }

  /** Takes a seat for `address`, or says why not. */
  take(address: string): string | null {
    const own = isOwnMachine(address);
    const mine = this.held.get(address) ?? 0;
    const others =
      this.total - [...this.held.entries()].filter(([a]) => isOwnMachine(a)).reduce((s, [, n]) => s + n, 0);
    if (this.total >= this.max) return `more than ${this.max} screens connected`;
    if (!own && mine >= WS_CLIENTS_PER_ADDRESS_MAX)
      return `more than ${WS_CLIENTS_PER_ADDRESS_MAX} screens from ${address}`;
    if (!own && others >= this.max - WS_OWN_MACHINE_SEATS)
      return `the other ${WS_OWN_MACHINE_SEATS} seats are kept for the kiosk's own screens`;
    this.held.set(address, mine + 1);
    this.total++;
    return null;
  }

  release(address: string): void {
    const mine = this.held.get(address) ?? 0;
    if (mine <= 0) return;
    if (mine === 1) this.held.delete(address);
    else this.held.set(address, mine - 1);
    this.total--;
  }
}

/** What the transport knows of one socket: its client's address, the paired customer screen it
 * speaks for (its device token cookie, fixed for the socket's life), and the staff sign-in it
 * last named. Order pushes go to the kiosk's own machine, paired customer screens (they show
 * the order being paid) and signed-in staff screens only. */
export interface SocketClient {
  address: string;
  screenId: string | null;
  staffToken: string | null;
}

export interface Refusal {
  code: string;
  message: string;
  retry_after_ms?: number;
}

/** The transport's one object for all of the above (http-server.ts asks it; no Fastify here). */
export class ClientGuard {
  private readonly limiter: ClientLimiter;
  private readonly seats: SocketSeats;

  constructor(
    private readonly o: {
      wsClientsMax: number;
      /** Whether a staff token is signed in now, without keeping it so (directory.ts isOpen). */
      staffSignedIn?: (token: string) => boolean;
      now?: () => number;
    },
  ) {
    this.limiter = new ClientLimiter(o.now);
    this.seats = new SocketSeats(o.wsClientsMax);
  }

  /** A new socket from `address` (for the paired screen `screenId`, if any): its client, or why
   * it gets no seat. */
  admit(address: string | undefined, screenId: string | null = null): SocketClient | { refused: string } {
    const a = address ?? 'unknown';
    const refused = this.seats.take(a);
    return refused === null ? { address: a, screenId, staffToken: null } : { refused };
  }

  release(client: SocketClient): void {
    this.seats.release(client.address);
  }

  /** Before a call is dispatched, from `address` (for the paired screen `screenId`, if any): the
   * refusal, or null. An unknown channel is left to the dispatcher (API_UNKNOWN_CHANNEL), and
   * counts as a call. */
  refusal(address: string | undefined, name: CallName | undefined, screenId: string | null = null): Refusal | null {
    const a = address ?? 'unknown';
    if (name !== undefined && OWN_MACHINE_CALLS.has(name) && !isOwnMachine(a))
      return { code: 'API_SENDER_REFUSED', message: `${name} comes from the kiosk's own screen only` };
    return this.classRefusal(a, classOf(name ?? 'status'), screenId);
  }

  /** A request of class `cls` that is not a call (the pairing routes): the refusal, or null. */
  classRefusal(address: string | undefined, cls: CallClass, screenId: string | null = null): Refusal | null {
    const a = address ?? 'unknown';
    if (cls === 'call' && isOwnMachine(a)) return null;
    const key = screenId === null ? a : `screen ${screenId}`;
    return rateLimited(this.limiter.take(key, cls), cls, screenId === null ? 'this device' : 'this screen');
  }

  /** A camera frame on `client`'s socket (a paired screen's: the transport refuses the others
   * first): the refusal, or null. Counted per screen, from every socket it holds. */
  frameRefusal(client: SocketClient): Refusal | null {
    if (client.screenId === null) return null;
    return rateLimited(this.limiter.take(`screen ${client.screenId}`, 'frame'), 'frame', 'this screen');
  }

  /** A request on a socket: a staff token in it that is signed in makes the socket a staff screen's. */
  note(client: SocketClient, request: unknown): void {
    const token = (request as { token?: unknown } | null)?.token;
    if (typeof token === 'string' && token.length <= 128 && this.o.staffSignedIn?.(token)) client.staffToken = token;
  }

  /** Whether this socket is a signed-in staff screen's (it sent a token that is signed in now). */
  isStaff(client: SocketClient): boolean {
    return client.staffToken !== null && this.o.staffSignedIn?.(client.staffToken) === true;
  }

  /** Whether the order pushes (every order, with its lines) go to this socket. */
  pushAllowed(client: SocketClient): boolean {
    if (isOwnMachine(client.address) || client.screenId !== null) return true;
    return client.staffToken !== null && this.o.staffSignedIn?.(client.staffToken) === true;
  }
}

function rateLimited(limited: { retry_after_ms: number } | null, cls: CallClass, who: string): Refusal | null {
  if (limited === null) return null;
  return {
    code: 'API_RATE_LIMITED',
    message: `too many ${cls === 'frame' ? 'camera frames' : `calls of this kind (${cls})`} from ${who}; try again in ${Math.ceil(limited.retry_after_ms / 1000)} s`,
    retry_after_ms: Math.min(limited.retry_after_ms, 3_600_000),
  };
}
