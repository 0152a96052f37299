// Whom browser mode answers. Two checks on every request, against names this kiosk was told, never
// against what the request says of itself:
// - Host: the request must name this kiosk, as loopback or as one of http.allowed_hosts, with
//   the port it listens on. A page of another site whose name the attacker re-points at the
//   kiosk's address (DNS rebinding) still sends its own name, and is refused.
// - Origin (WebSocket upgrades and browser POSTs): the page must come from this kiosk, with the
//   scheme it serves. Comparing Origin with the request's own Host, as before, let a rebinding
//   page match itself.
// And where the kiosk is reachable beyond loopback (LAN mode: remote staff screens), only over
// TLS (PINs and sign-in tokens cross the shop's network) and only with an allow-list of names:
// lanProblem says why a configuration must not start.
import { isIP } from 'node:net';

export const LOOPBACK_NAMES: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** The names staff devices may use beyond loopback, at most (a certificate names them all). */
export const ALLOWED_HOSTS_MAX = 16;

export interface OriginPolicy {
  scheme: 'http' | 'https';
  /** The port it listens on (known after listen when 0 was asked for). */
  port: number;
  /** Lowercase host names and addresses, loopback's included; IPv6 without brackets. */
  names: ReadonlySet<string>;
}

export function originPolicy(o: { tls: boolean; port: number; allowedHosts: readonly string[] }): OriginPolicy {
  const names = new Set<string>([...LOOPBACK_NAMES].filter((n) => !n.startsWith('[')));
  for (const h of o.allowedHosts) names.add(h.toLowerCase().replace(/^\[(.*)\]$/, '$1'));
  return { scheme: o.tls ? 'https' : 'http', port: o.port, names };
}

/** host:port from a Host header (or an Origin's authority), or null if it is not one. */
function splitAuthority(authority: string): { name: string; port: number | null } | null {
  const m = /^(?:\[([0-9a-f:.]+)\]|([a-z0-9.-]+))(?::(\d{1,5}))?$/i.exec(authority.trim());
  if (!m) return null;
  return { name: (m[1] ?? m[2]!).toLowerCase(), port: m[3] === undefined ? null : Number(m[3]) };
}

/** The Host header names this kiosk (a name it was told, and its port). */
export function hostAllowed(host: string | undefined, p: OriginPolicy): boolean {
  const a = host === undefined ? null : splitAuthority(host);
  if (a === null || !p.names.has(a.name)) return false;
  const defaultPort = p.scheme === 'https' ? 443 : 80;
  return (a.port ?? defaultPort) === p.port;
}

/** An Origin header is one of this kiosk's own origins (scheme, an allowed name, its port). */
export function originAllowed(origin: string | undefined, p: OriginPolicy): boolean {
  if (origin === undefined) return false;
  const m = /^(https?):\/\/([^/]+)$/i.exec(origin.trim());
  if (!m || m[1]!.toLowerCase() !== p.scheme) return false;
  return hostAllowed(m[2], p);
}

/** A DNS name, an IPv4 address or an IPv6 one (bare or in brackets); no port, no path. */
export function isHostName(h: string): boolean {
  const bare = h.replace(/^\[(.*)\]$/, '$1');
  return (
    isIP(bare) !== 0 ||
    /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(bare)
  );
}

const isLoopbackBind = (host: string): boolean => LOOPBACK_NAMES.has(host.toLowerCase());

/** Why browser mode must not bind to `host` as configured, or null. */
export function lanProblem(host: string, tls: boolean, allowedHosts: readonly string[]): string | null {
  if (allowedHosts.length > ALLOWED_HOSTS_MAX)
    return `http.allowed_hosts: at most ${ALLOWED_HOSTS_MAX} names, got ${allowedHosts.length}`;
  const bad = allowedHosts.find((h) => !isHostName(h));
  if (bad !== undefined) return `http.allowed_hosts: ${JSON.stringify(bad)} is not a host name or address (no port)`;
  if (isLoopbackBind(host)) return null;
  const missing = [
    ...(tls ? [] : ['http.tls: true (the kiosk makes its certificate; staff devices pin it)']),
    ...(allowedHosts.length > 0 ? [] : ['http.allowed_hosts: the names staff devices use to reach the kiosk']),
  ];
  if (missing.length === 0) return null;
  return `http.host ${JSON.stringify(host)} is beyond loopback, where PINs and sign-in tokens cross the shop's network and any page may re-point its name at the kiosk: set ${missing.join(', and ')}`;
}
