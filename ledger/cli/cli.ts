// `ledger`: verify, export and summarise a kiosk ledger file.
//
//   ledger verify <db> [--anchor SEQ:HASH] [--expect-key HEX] [--workers N] [--json]
//   ledger export <db> --day YYYY-MM-DD [--format csv|json] [--out FILE]
//   ledger export <db> --format dsfinvk|dep --from YYYY-MM-DD --to YYYY-MM-DD --out DIR [--fiscal FILE]
//   ledger receipt-check '<code>' --key HEX [--ledger DB]
//   ledger stats  <db> [--json]
//
// Exit codes: 0 good, 1 the ledger failed verification (or the receipt code did: the field is
// named), 2 bad usage or an unreadable file or a malformed receipt code.
// Errors are one clear line, never a stack trace.

import { parseArgs } from 'node:util';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LedgerError } from '../protocol/errors.js';
import { verifyLedger } from '../verify/verify.js';
import { exportDay, type ExportFormat } from './export.js';
import { ledgerStats } from './stats.js';
import { LedgerReader } from '../store/reader.js';
import { ReceiptCodeFormatError } from '../fiscal/qr-code.js';
import { exportDays, fiscalPathFor, openFiscal } from './export-days.js';
import { exportDsfinvk } from './export-dsfinvk.js';
import { exportDep } from './export-dep.js';
import { parseKey, receiptCheck } from './receipt-check.js';

const USAGE = `usage:
  ledger verify <db> [--anchor SEQ:HASH] [--expect-key HEX] [--workers N] [--json]
  ledger export <db> --day YYYY-MM-DD [--format csv|json] [--out FILE]
  ledger export <db> --format dsfinvk|dep --from YYYY-MM-DD --to YYYY-MM-DD --out DIR [--fiscal FILE]
  ledger receipt-check '<code>' --key HEX [--ledger DB]
  ledger stats  <db> [--json]`;

class UsageError extends Error {}

export async function main(
  argv: string[],
  out: (s: string) => void = (s) => process.stdout.write(s + '\n'),
): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'verify':
        return await verifyCommand(rest, out);
      case 'export':
        return exportCommand(rest, out);
      case 'stats':
        return statsCommand(rest, out);
      case 'receipt-check':
        return receiptCheckCommand(rest, out);
      case undefined:
      case '-h':
      case '--help':
        out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`ledger: ${err.message}\n${USAGE}\n`);
      return 2;
    }
    if (err instanceof ReceiptCodeFormatError) {
      process.stderr.write(`ledger: ${err.code}: ${err.message}\n`);
      return 2;
    }
    if (err instanceof LedgerError) {
      process.stderr.write(`ledger: ${err.code}: ${err.message}\n`);
      return 2;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`ledger: ${message}\n`);
    return 2;
  }
}

function parse<O extends NonNullable<Parameters<typeof parseArgs>[0]>['options']>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function onePath(positionals: string[]): string {
  if (positionals.length !== 1) throw new UsageError(`expected one ledger file, got ${positionals.length}`);
  return positionals[0]!;
}

async function verifyCommand(args: string[], out: (s: string) => void): Promise<number> {
  const { values, positionals } = parse(args, {
    anchor: { type: 'string' },
    'expect-key': { type: 'string' },
    workers: { type: 'string' },
    json: { type: 'boolean' },
  });
  const path = onePath(positionals);
  let anchor: { seq: number; entry_hash: string } | undefined;
  if (typeof values.anchor === 'string') {
    const m = /^(\d+):([0-9a-f]{64})$/.exec(values.anchor);
    if (m === null)
      throw new UsageError(`--anchor expects SEQ:HASH (64 hex digits), got ${JSON.stringify(values.anchor)}`);
    anchor = { seq: Number(m[1]), entry_hash: m[2]! };
  }
  const expectedKey = values['expect-key'];
  if (typeof expectedKey === 'string' && !/^[0-9a-f]{64}$/.test(expectedKey))
    throw new UsageError('--expect-key expects 64 hex digits');
  let workers: number | undefined;
  if (typeof values.workers === 'string') {
    workers = Number(values.workers);
    if (!Number.isInteger(workers) || workers < 1)
      throw new UsageError(`--workers expects a positive integer, got ${values.workers}`);
  }
  const report = await verifyLedger(path, {
    ...(anchor ? { anchor } : {}),
    ...(typeof expectedKey === 'string' ? { expectedGenesisKey: expectedKey } : {}),
    ...(workers !== undefined ? { workers } : {}),
  });
  if (values.json === true) {
    out(JSON.stringify(report));
  } else if (report.ok) {
    const rate =
      report.elapsed_ms > 0 ? Math.round((report.entries_checked / report.elapsed_ms) * 1000) : report.entries_checked;
    out(
      `OK ${path}: ${report.entries_checked} entries of kiosk ${report.kiosk_id} verified (signatures, chain, seq, money, ${report.days_closed} day closes) in ${report.elapsed_ms} ms, ${rate} entries/s`,
    );
    if (report.tip) out(`tip: seq ${report.tip.seq}, entry_hash ${report.tip.entry_hash}`);
  } else {
    const f = report.fault!;
    out(`FAILED ${path}: first bad entry ${f.seq}: ${f.code}: ${f.message}`);
    out(`${report.entries_checked} entries before it verified.`);
  }
  return report.ok ? 0 : 1;
}

function exportCommand(args: string[], out: (s: string) => void): number {
  const { values, positionals } = parse(args, {
    day: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    fiscal: { type: 'string' },
  });
  const path = onePath(positionals);
  if (values.format === 'dsfinvk' || values.format === 'dep') return fiscalExport(path, values, out);
  if (typeof values.day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(values.day))
    throw new UsageError('--day expects YYYY-MM-DD');
  const format = (values.format ?? 'csv') as ExportFormat;
  if (format !== 'csv' && format !== 'json')
    throw new UsageError(`--format expects csv or json, got ${JSON.stringify(values.format)}`);
  const text = exportDay(path, values.day, format);
  if (typeof values.out === 'string') writeFileSync(values.out, text);
  else out(text.endsWith('\n') ? text.slice(0, -1) : text);
  return 0;
}

function fiscalExport(
  path: string,
  values: { format?: string; from?: string; to?: string; out?: string; fiscal?: string },
  out: (s: string) => void,
): number {
  for (const opt of ['from', 'to'] as const)
    if (typeof values[opt] !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(values[opt]))
      throw new UsageError(`--${opt} expects YYYY-MM-DD`);
  if (typeof values.out !== 'string') throw new UsageError(`--format ${values.format} expects --out DIR`);
  const reader = new LedgerReader(path);
  const fiscal = openFiscal(fiscalPathFor(path, values.fiscal));
  try {
    const days = exportDays(reader, values.from!, values.to!);
    if (values.format === 'dep') {
      mkdirSync(values.out, { recursive: true });
      const dep = exportDep(reader, fiscal, days);
      writeFileSync(join(values.out, 'dep-export.json'), JSON.stringify(dep, null, 2) + '\n');
      const n = dep['Belege-Gruppe'].reduce((s, g) => s + g['Belege-kompakt'].length, 0);
      out(`DEP ${values.from}..${values.to}: ${n} receipts in ${join(values.out, 'dep-export.json')}`);
    } else {
      const counts = exportDsfinvk(reader, fiscal, days, values.out);
      out(
        `DSFinV-K ${values.from}..${values.to} in ${values.out}: ${Object.entries(counts)
          .map(([f, n]) => `${f} ${n}`)
          .join(', ')}`,
      );
    }
    if (fiscal === null) out('(no fiscal.db beside the ledger: the TSE columns are empty)');
    return 0;
  } finally {
    fiscal?.close();
    reader.close();
  }
}

function receiptCheckCommand(args: string[], out: (s: string) => void): number {
  const { values, positionals } = parse(args, { key: { type: 'string' }, ledger: { type: 'string' } });
  if (positionals.length !== 1) throw new UsageError(`expected one receipt code, got ${positionals.length}`);
  if (typeof values.key !== 'string' || !/^[0-9a-f]{64}$/.test(values.key))
    throw new UsageError("--key expects the signing unit's public key, 64 hex digits");
  const r = receiptCheck(positionals[0]!, parseKey(values.key), values.ledger);
  if (r.ok) out(`OK ${r.kind} receipt ${r.transaction}: every field verifies`);
  else out(`FAILED ${r.kind} receipt ${r.transaction}: field ${r.fault!.field}: ${r.fault!.message}`);
  return r.ok ? 0 : 1;
}

function statsCommand(args: string[], out: (s: string) => void): number {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } });
  const path = onePath(positionals);
  const stats = ledgerStats(path);
  if (values.json === true) {
    out(JSON.stringify(stats));
    return 0;
  }
  out(`ledger ${path} (${statSync(path).size} bytes), kiosk ${stats.kiosk_id}, schema ${stats.schema_version}`);
  out(
    `entries: ${stats.entries} (${
      Object.entries(stats.by_kind)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ') || 'none'
    })`,
  );
  if (stats.first_created_at_ms !== null) {
    out(
      `from ${new Date(stats.first_created_at_ms).toISOString()} to ${new Date(stats.last_created_at_ms!).toISOString()}`,
    );
  }
  out(
    `days closed: ${stats.days_closed}${stats.last_closed_day ? ` (last ${stats.last_closed_day})` : ''}; entries since: ${stats.open_entries}`,
  );
  for (const t of stats.totals) {
    out(
      `${t.currency}: ${t.payment_count} payments, gross ${t.gross}, refunds ${t.refunds}, voids ${t.voids}, net ${t.net}`,
    );
  }
  out('(stats read the query columns; run `ledger verify` to check them against the signed bytes)');
  return 0;
}
