// Proves that the contract's zod-free mirrors of the ledger's constants (electron/contract/constants.ts may not import ledger/: the screens load it) say what the ledger says: the entry kinds, the payment methods and the largest amount.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as contract from '../../electron/contract/constants.js';
import * as ledger from '../../ledger/protocol/entry-constants.js';
import { AMOUNT_MINOR_MAX } from '../../ledger/protocol/money.js';

test('the entry kinds, payment methods and largest amount of the contract are the ledger’s', () => {
  assert.deepEqual(contract.ENTRY_KINDS, ledger.ENTRY_KINDS);
  assert.deepEqual(contract.PAYMENT_METHODS, ledger.PAYMENT_METHODS);
  assert.equal(contract.AMOUNT_MINOR_MAX, AMOUNT_MINOR_MAX);
});
