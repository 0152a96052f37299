// How a call reaches its handler. Each domain of the contract (electron/contract/calls/<domain>.ts)
// is one service on the host, which answers every call of that domain with a method named as
// the call. `Services` is the table the kiosk fills, one service per domain: a domain left out,
// or a service without a handler for one of its calls, fails to compile. `routeCalls` turns it
// into one handler per call for the dispatcher, and checks the same again at start.
import {
  api,
  DOMAIN_OF,
  DOMAINS,
  type CallName,
  type CallsOf,
  type Domain,
  type RequestOf,
  type ResponseOf,
} from '../../contract/api.js';
import type { Caller } from '../pairing/access.js';

/** A call's handler: the parsed request and its caller (the paired screen making it, if any:
 * pairing/access.ts) in, the answer (or an ApiFault) out. */
export type Handler<K extends string> = K extends CallName
  ? (request: RequestOf<K>, caller?: Caller) => ResponseOf<K> | Promise<ResponseOf<K>>
  : never;
/** What a domain's service offers: a handler for each call of the domain. */
export type DomainService<D extends Domain> = { [K in CallsOf<D>]: Handler<K> };
/** One service per domain. */
export type Services = { readonly [D in Domain]: DomainService<D> };
/** One handler per call, bound to its service. */
export type Routes = { readonly [K in CallName]: Handler<K> };

/** Methods of a domain's service that are named for another domain's call: handlers written in
 * the wrong service, which nothing would ever route to. */
export function strayHandlers(services: Services): string[] {
  const stray: string[] = [];
  for (const domain of Object.keys(DOMAINS) as Domain[]) {
    for (const name of methodsOf(services[domain])) {
      const owner = DOMAIN_OF.get(name as CallName);
      if (owner !== undefined && owner !== domain) stray.push(`${domain}.${name} (a ${owner} call)`);
    }
  }
  return stray;
}

function methodsOf(o: object): string[] {
  const names = new Set<string>();
  for (let p: object | null = o; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null)
    for (const n of Object.getOwnPropertyNames(p)) if (n !== 'constructor') names.add(n);
  return [...names];
}

export function routeCalls(services: Services): Routes {
  const stray = strayHandlers(services);
  if (stray.length > 0) throw new Error(`assertion failed: handlers in the wrong service: ${stray.join(', ')}`);
  const routes: Partial<Record<CallName, unknown>> = {};
  for (const name of Object.keys(api) as CallName[]) {
    const domain = DOMAIN_OF.get(name)!;
    const service = services[domain] as unknown as Record<string, unknown>;
    const handler = service[name];
    if (typeof handler !== 'function')
      throw new Error(`assertion failed: the ${domain} service has no handler for ${name}`);
    routes[name] = (handler as (request: unknown, caller?: Caller) => unknown).bind(service);
  }
  return routes as Routes;
}
