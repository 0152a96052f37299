// `ledger stats`: a quick summary from the query columns. Informational: `verify` is what
// checks those columns against the signed bytes.

import { formatMoney } from '../protocol/money.js';
import { decodeEntry } from '../store/rows.js';
import { LedgerReader } from '../store/reader.js';

export interface LedgerStats {
  kiosk_id: string;
  schema_version: number;
  entries: number;
  by_kind: Record<string, number>;
  first_created_at_ms: number | null;
  last_created_at_ms: number | null;
  days_closed: number;
  last_closed_day: string | null;
  open_entries: number;
  totals: {
    currency: string;
    payment_count: number;
    gross: string;
    refunds: string;
    voids: string;
    net: string;
    net_minor: number;
  }[];
}

export function ledgerStats(path: string): LedgerStats {
  const reader = new LedgerReader(path);
  try {
    const db = reader.db;
    const byKind = Object.fromEntries(
      (
        db.prepare('SELECT kind, count(*) AS n FROM entries GROUP BY kind ORDER BY kind').all() as {
          kind: string;
          n: number;
        }[]
      ).map((r) => [r.kind, r.n]),
    );
    const span = db
      .prepare('SELECT count(*) AS n, min(created_at_ms) AS lo, max(created_at_ms) AS hi, max(seq) AS tip FROM entries')
      .get() as { n: number; lo: number | null; hi: number | null; tip: number | null };
    const lastClose = db
      .prepare("SELECT seq, canonical FROM entries WHERE kind = 'day_close' ORDER BY seq DESC LIMIT 1")
      .get() as { seq: number; canonical: Uint8Array } | undefined;
    const close = lastClose ? decodeEntry(lastClose.canonical, lastClose.seq) : undefined;
    const sums = db
      .prepare(
        `
      SELECT currency,
             sum(kind = 'payment') AS payment_count,
             coalesce(sum(CASE WHEN kind = 'payment' THEN amount_minor END), 0) AS gross,
             coalesce(sum(CASE WHEN kind = 'refund' THEN amount_minor END), 0) AS refunds,
             coalesce(sum(CASE WHEN kind = 'void' THEN amount_minor END), 0) AS voids
      FROM entries WHERE currency IS NOT NULL GROUP BY currency ORDER BY currency`,
      )
      .all() as { currency: string; payment_count: number; gross: number; refunds: number; voids: number }[];
    return {
      kiosk_id: reader.kioskId,
      schema_version: db.pragma('user_version', { simple: true }) as number,
      entries: span.n,
      by_kind: byKind,
      first_created_at_ms: span.lo,
      last_created_at_ms: span.hi,
      days_closed: byKind.day_close ?? 0,
      last_closed_day: close?.kind === 'day_close' ? close.body.business_day : null,
      open_entries: (span.tip ?? 0) - (lastClose?.seq ?? 0),
      totals: sums.map((s) => {
        const net = s.gross - s.refunds - s.voids;
        return {
          currency: s.currency,
          payment_count: s.payment_count,
          gross: formatMoney(s.gross, s.currency),
          refunds: formatMoney(s.refunds, s.currency),
          voids: formatMoney(s.voids, s.currency),
          net: formatMoney(net, s.currency),
          net_minor: net,
        };
      }),
    };
  } finally {
    reader.close();
  }
}
