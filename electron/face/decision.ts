// The 1:N identification decision on a fused descriptor, and when to step up to the phone
// number's last four digits. Expected false identifications grow with the gallery: with a
// per-comparison false-match rate FMR at the accept threshold, a stranger matches someone among
// N customers with probability 1 - (1 - FMR)^N (about FMR x N). Above the configured bound, above
// the amount limit, on a customer's first payments, or without a clear margin: ask for the digits
// and match only among the customers who have them.
import type { FaceConfig } from './config.js';
import type { CustomerMatch, DescriptorIndex } from './matcher.js';

export type MatchDecision =
  | { outcome: 'accept'; customer_id: string; distance: number; margin: number; expected_false_id_rate: number }
  | { outcome: 'step_up'; reason: string; distance: number; expected_false_id_rate: number }
  | { outcome: 'refuse'; code: 'FACE_NOT_ENROLLED' | 'FACE_AMBIGUOUS'; message: string; detail: string };

export function expectedFalseIdRate(falseMatchRate: number, customers: number): number {
  return 1 - Math.pow(1 - falseMatchRate, Math.max(0, customers));
}

function judge(
  cfg: FaceConfig['match'],
  matches: CustomerMatch[],
): { best: CustomerMatch; margin: number } | MatchDecision {
  const best = matches[0];
  if (!best || best.distance > cfg.accept_distance_max) {
    return {
      outcome: 'refuse',
      code: 'FACE_NOT_ENROLLED',
      message: 'Face not recognised: not enrolled, or pay another way.',
      detail: best
        ? `nearest customer at ${best.distance.toFixed(3)}, accept under ${cfg.accept_distance_max}`
        : 'no customer within reach',
    };
  }
  const next = matches[1];
  const margin = next ? next.distance - best.distance : Number.POSITIVE_INFINITY;
  return { best, margin };
}

export interface PaymentContext {
  amount_minor: number;
  /** Payments this customer has made before (for the first-payments rule). */
  paymentsOf: (customerId: string) => number;
}

/** First pass: the whole gallery. */
export function identify(
  cfg: FaceConfig['match'],
  index: DescriptorIndex,
  descriptor: ArrayLike<number>,
  ctx: PaymentContext,
): MatchDecision {
  if (!Number.isSafeInteger(ctx.amount_minor) || ctx.amount_minor < 0)
    throw new Error(`amount_minor: expected a non-negative safe integer, got ${ctx.amount_minor}`);
  const fir = expectedFalseIdRate(cfg.false_match_rate, index.customers);
  const j = judge(cfg, index.search(descriptor, cfg.accept_distance_max + cfg.margin_min, 2));
  if ('outcome' in j) return j;
  const why =
    fir > cfg.expected_false_id_rate_max
      ? `expected false-identification rate ${fir.toFixed(4)} over ${cfg.expected_false_id_rate_max} for ${index.customers} customers`
      : ctx.amount_minor >= cfg.step_up_amount_minor_min
        ? `amount ${ctx.amount_minor} at or above ${cfg.step_up_amount_minor_min}`
        : ctx.paymentsOf(j.best.customer_id) < cfg.step_up_first_payments
          ? `one of the customer's first ${cfg.step_up_first_payments} payments`
          : j.margin < cfg.margin_min
            ? `next customer only ${j.margin.toFixed(3)} farther (margin ${cfg.margin_min})`
            : null;
  if (why) return { outcome: 'step_up', reason: why, distance: j.best.distance, expected_false_id_rate: fir };
  return {
    outcome: 'accept',
    customer_id: j.best.customer_id,
    distance: j.best.distance,
    margin: j.margin,
    expected_false_id_rate: fir,
  };
}

/** Second pass after step-up: only customers whose phone ends in the digits typed. */
export function identifyAmong(
  cfg: FaceConfig['match'],
  index: DescriptorIndex,
  descriptor: ArrayLike<number>,
  candidates: string[],
): MatchDecision {
  const fir = expectedFalseIdRate(cfg.false_match_rate, candidates.length);
  const j = judge(cfg, index.searchAmong(descriptor, candidates, cfg.accept_distance_max + cfg.margin_min, 2));
  if ('outcome' in j) return j;
  if (j.margin < cfg.margin_min) {
    return {
      outcome: 'refuse',
      code: 'FACE_AMBIGUOUS',
      message: 'Two customers look alike with these digits: ask the cashier.',
      detail: `margin ${j.margin.toFixed(3)} under ${cfg.margin_min}`,
    };
  }
  return {
    outcome: 'accept',
    customer_id: j.best.customer_id,
    distance: j.best.distance,
    margin: j.margin,
    expected_false_id_rate: fir,
  };
}
