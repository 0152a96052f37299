// Token buckets for the anonymous routes: one per client address, bounded in number (the
// least recently seen are forgotten first), and one for all clients together, so that many
// addresses cannot add up to more than the process serves. In this process's memory on
// purpose: they bound this process's own work. What servers must agree on (nonces, entries,
// balances) is in the database.

import { assert } from '../protocol/errors.js';

interface Bucket {
  tokens: number;
  at_ms: number;
}

export interface RateLimits {
  burst_max: number;
  per_s: number;
  all_per_s: number;
  clients_tracked_max: number;
}

export class RateLimiter {
  private readonly clients = new Map<string, Bucket>();
  private readonly all: Bucket;

  constructor(private readonly limits: RateLimits) {
    assert(limits.per_s > 0 && limits.burst_max >= 1 && limits.all_per_s > 0, 'rates are positive');
    assert(limits.clients_tracked_max >= 1, 'at least one client is tracked');
    this.all = { tokens: limits.all_per_s, at_ms: 0 };
  }

  private static refill(b: Bucket, nowMs: number, perS: number, max: number): void {
    b.tokens = Math.min(max, b.tokens + ((nowMs - b.at_ms) / 1000) * perS);
    b.at_ms = nowMs;
  }

  /** Takes one token for `client`; null when granted, else the whole seconds to wait. */
  take(client: string, nowMs: number): number | null {
    const { burst_max, per_s, all_per_s, clients_tracked_max } = this.limits;
    let b = this.clients.get(client);
    if (b === undefined) {
      if (this.clients.size >= clients_tracked_max) this.clients.delete(this.clients.keys().next().value!);
      b = { tokens: burst_max, at_ms: nowMs };
    } else {
      this.clients.delete(client); // re-inserted below: the map's order is the order last seen
      RateLimiter.refill(b, nowMs, per_s, burst_max);
    }
    this.clients.set(client, b);
    RateLimiter.refill(this.all, nowMs, all_per_s, all_per_s);
    if (b.tokens < 1) return Math.ceil((1 - b.tokens) / per_s);
    if (this.all.tokens < 1) return Math.ceil((1 - this.all.tokens) / all_per_s);
    b.tokens -= 1;
    this.all.tokens -= 1;
    return null;
  }
}
