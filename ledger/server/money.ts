// Settling verified entries: which transfer each entry makes, or why it makes none.
// Double entry, TigerBeetle style: every movement is one transfer from a debit account to a
// credit account, so debits equal credits by construction; a balance is credits minus
// debits; the sum of all balances of a currency is zero. Customer wallets are prepaid (as
// PopPay's): a face payment moves money only if the wallet holds it, and only from the
// wallet of an active customer of the uploading kiosk's own merchant (a kiosk of merchant B
// naming a customer of merchant A is declined as unknown, and raises an alarm).

import type { Entry } from '../protocol/entry.js';
import { canonicalize } from '../protocol/canonical.js';
import { assert } from '../protocol/errors.js';
import type { DeclineReason } from '../wire/codes.js';
import type { ReceiptStatus } from '../wire/wire.js';
import type { AccountTable } from './db/schema.js';
import type { PaymentFacts } from './chain.js';
import { lockRows, merchantAccount, walletAccount, type Services, type Tx } from './context.js';

const WALLET_PREFIX = walletAccount('');

/** An account as stored (schema.ts's AccountTable). */
export type AccountRow = AccountTable;

export interface Movement {
  debit_account_id: string;
  credit_account_id: string;
  amount_minor: number;
  currency: string;
}

export interface Decision {
  status: ReceiptStatus;
  reason?: DeclineReason;
  movement?: Movement;
  /** Something the operator should see besides the decline: a kiosk naming another merchant's customer. */
  alarm?: 'foreign_customer';
}

/** Whom a wallet belongs to, as settlement needs it. */
export interface CustomerFacts {
  merchant_id: string;
  status: string;
}

/** The accounts and freezes one batch can touch, locked and loaded, changed in memory, written back once. */
export class Books {
  readonly accounts = new Map<string, AccountRow>();
  readonly dirty = new Set<string>();
  /** "account:<id>" and "payment:<entry hash>" of what is frozen now. */
  readonly frozen = new Set<string>();
  /** The customers whose wallets were loaded. */
  readonly customers = new Map<string, CustomerFacts>();

  static async load(
    s: Services,
    trx: Tx,
    accountIds: Iterable<string>,
    paymentHashes: Iterable<string>,
  ): Promise<Books> {
    const books = new Books();
    const ids = [...new Set(accountIds)].sort();
    if (ids.length > 0) {
      const rows = await trx
        .selectFrom('accounts')
        .selectAll()
        .where('account_id', 'in', ids)
        .orderBy('account_id')
        .$if(lockRows(s), (q) => q.forUpdate())
        .execute();
      for (const r of rows) books.accounts.set(r.account_id, r);
      const customerIds = ids.filter((id) => id.startsWith(WALLET_PREFIX)).map((id) => id.slice(WALLET_PREFIX.length));
      if (customerIds.length > 0) {
        const customers = await trx
          .selectFrom('customers')
          .select(['customer_id', 'merchant_id', 'status'])
          .where('customer_id', 'in', customerIds)
          .execute();
        for (const c of customers) books.customers.set(c.customer_id, c);
      }
    }
    const targets = [
      ...ids.map((id) => ['account', id] as const),
      ...[...paymentHashes].map((h) => ['payment', h] as const),
    ];
    if (targets.length > 0) {
      const rows = await trx
        .selectFrom('freeze_state')
        .select(['target_type', 'target_id'])
        .where('frozen', '=', 1)
        .where(
          'target_id',
          'in',
          targets.map((t) => t[1]),
        )
        .execute();
      for (const r of rows) books.frozen.add(`${r.target_type}:${r.target_id}`);
    }
    return books;
  }

  isFrozen(accountId: string): boolean {
    return this.frozen.has(`account:${accountId}`);
  }

  move(m: Movement): void {
    const debit = this.accounts.get(m.debit_account_id);
    const credit = this.accounts.get(m.credit_account_id);
    assert(
      debit !== undefined && credit !== undefined,
      `accounts of a transfer are loaded: ${m.debit_account_id} -> ${m.credit_account_id}`,
    );
    assert(debit.currency === m.currency && credit.currency === m.currency, 'a transfer stays in one currency');
    assert(Number.isSafeInteger(m.amount_minor) && m.amount_minor > 0, 'a transfer moves a positive safe amount');
    debit.balance_minor -= m.amount_minor;
    credit.balance_minor += m.amount_minor;
    assert(
      Number.isSafeInteger(debit.balance_minor) && Number.isSafeInteger(credit.balance_minor),
      'balances stay safe integers',
    );
    this.dirty.add(debit.account_id);
    this.dirty.add(credit.account_id);
  }

  /** Writes changed balances back (one statement for all of them). */
  async save(trx: Tx): Promise<void> {
    if (this.dirty.size === 0) return;
    const rows = [...this.dirty].map((id) => this.accounts.get(id)!);
    await trx
      .insertInto('accounts')
      .values(rows)
      .onConflict((oc) =>
        oc.column('account_id').doUpdateSet((eb) => ({ balance_minor: eb.ref('excluded.balance_minor') })),
      )
      .execute();
  }
}

/** The account ids a batch's entries may move money between. */
export function accountsFor(
  merchantId: string,
  entries: readonly Entry[],
  payments: ReadonlyMap<number, PaymentFacts>,
): string[] {
  const ids = new Set<string>([merchantAccount(merchantId)]);
  for (const e of entries) {
    if (e.kind === 'payment' && e.body.customer_id !== undefined) ids.add(walletAccount(e.body.customer_id));
    if (e.kind === 'refund' || e.kind === 'void') {
      const paid = payments.get(e.body.payment_seq);
      if (paid !== undefined && paid.customer_id !== null) ids.add(walletAccount(paid.customer_id));
    }
  }
  return [...ids];
}

/** What one verified entry does to the books; applies its transfer, if any. */
export function decide(
  entry: Entry,
  merchantId: string,
  books: Books,
  payments: ReadonlyMap<number, PaymentFacts>,
): Decision {
  const merchant = merchantAccount(merchantId);
  switch (entry.kind) {
    case 'payment': {
      const b = entry.body;
      // A training payment moves no money: recorded, never settled.
      if (b.customer_id === undefined || b.training === true) return { status: 'recorded' };
      const customer = books.customers.get(b.customer_id);
      if (customer === undefined) return { status: 'declined', reason: 'SETTLE_UNKNOWN_CUSTOMER' };
      if (customer.merchant_id !== merchantId)
        return { status: 'declined', reason: 'SETTLE_UNKNOWN_CUSTOMER', alarm: 'foreign_customer' };
      if (customer.status !== 'active') return { status: 'declined', reason: 'SETTLE_CUSTOMER_INACTIVE' };
      const walletId = walletAccount(b.customer_id);
      const wallet = books.accounts.get(walletId);
      const merchantRow = books.accounts.get(merchant);
      if (wallet === undefined) return { status: 'declined', reason: 'SETTLE_UNKNOWN_CUSTOMER' };
      assert(merchantRow !== undefined, `merchant account ${merchant} exists`);
      if (books.isFrozen(walletId) || books.isFrozen(merchant))
        return { status: 'declined', reason: 'SETTLE_ACCOUNT_FROZEN' };
      if (wallet.currency !== b.currency || merchantRow.currency !== b.currency)
        return { status: 'declined', reason: 'SETTLE_CURRENCY_MISMATCH' };
      if (wallet.balance_minor < b.amount_minor) return { status: 'declined', reason: 'SETTLE_INSUFFICIENT_FUNDS' };
      const movement = {
        debit_account_id: walletId,
        credit_account_id: merchant,
        amount_minor: b.amount_minor,
        currency: b.currency,
      };
      books.move(movement);
      return { status: 'settled', movement };
    }
    case 'refund':
    case 'void': {
      const b = entry.body;
      if (b.training === true) return { status: 'recorded' };
      const paid = payments.get(b.payment_seq);
      assert(paid !== undefined, `the rules found payment ${b.payment_seq}`);
      if (paid.customer_id === null) return { status: 'recorded' };
      if (paid.status !== 'settled') return { status: 'declined', reason: 'SETTLE_PAYMENT_NOT_SETTLED' };
      if (books.frozen.has(`payment:${paid.entry_hash}`))
        return { status: 'declined', reason: 'SETTLE_PAYMENT_FROZEN' };
      if (books.isFrozen(merchant)) return { status: 'declined', reason: 'SETTLE_ACCOUNT_FROZEN' };
      const movement = {
        debit_account_id: merchant,
        credit_account_id: walletAccount(paid.customer_id),
        amount_minor: b.amount_minor,
        currency: b.currency,
      };
      books.move(movement);
      return { status: 'settled', movement };
    }
    default:
      return { status: 'recorded' };
  }
}

/** Alarms for the decisions that call for one, in the batch's transaction (a replay decides nothing again). */
export async function recordAlarms(
  trx: Tx,
  kioskId: string,
  entries: readonly Entry[],
  decisions: readonly Decision[],
  nowMs: number,
): Promise<void> {
  const rows = entries.flatMap((e, i) => {
    const d = decisions[i]!;
    if (d.alarm === undefined || e.kind !== 'payment') return [];
    const detail = canonicalize({ customer_id: e.body.customer_id ?? null, amount_minor: e.body.amount_minor });
    return [{ kind: d.alarm, kiosk_id: kioskId, seq: e.seq, created_at_ms: nowMs, detail }];
  });
  if (rows.length > 0) await trx.insertInto('alarms').values(rows).execute();
}
