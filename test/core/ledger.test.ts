import { describe, expect, it } from 'vitest';
import { accountBalances, assertBalanced, chargePostings, refundPostings, settlementPostings, UnbalancedEntryError, type LedgerEntry } from '../../src/core/ledger.js';
import { chargeFee } from '../../src/core/fees.js';

const entry = (postings: LedgerEntry['postings']): LedgerEntry => ({ id: 'le_1', createdAt: '', kind: 'charge', sourceId: 'ch_1', balanceTransactionId: null, postings });

describe('ledger', () => {
  it('a charge, its settlement and a refund each balance to zero and the platform keeps the fee', () => {
    const entries = [chargePostings('EGP', 10000, 350, false), settlementPostings('EGP', 9650), refundPostings('EGP', 4000)];
    for (const p of entries) assertBalanced(p);
    const balances = accountBalances(entries.map(entry));
    expect(balances).toEqual({
      customer_funds: { EGP: -6000 },
      merchant_pending: { EGP: 0 },
      merchant_available: { EGP: 5650 },
      platform_fees: { EGP: 350 },
    });
  });

  it('refuses unbalanced or fractional postings', () => {
    expect(() => assertBalanced([{ account: 'customer_funds', currency: 'EGP', amount: -5 }, { account: 'merchant_available', currency: 'EGP', amount: 4 }])).toThrow(UnbalancedEntryError);
    expect(() => assertBalanced([{ account: 'customer_funds', currency: 'EGP', amount: -0.5 }, { account: 'merchant_available', currency: 'EGP', amount: 0.5 }])).toThrow(UnbalancedEntryError);
    expect(() => assertBalanced([{ account: 'customer_funds', currency: 'EGP', amount: -5 }, { account: 'merchant_available', currency: 'USD', amount: 5 }])).toThrow(UnbalancedEntryError);
  });
});

describe('fees', () => {
  it('charges 2.75% + 3.00 EGP on cards with 14% VAT on the fee, in whole piastres', () => {
    const fee = chargeFee(100000, 'EGP', 'card');
    expect(fee).toEqual({ processing: 3050, vat: 427, total: 3477 });
  });

  it('never takes more than the amount', () => {
    const fee = chargeFee(100, 'EGP', 'card');
    expect(fee.total).toBeLessThanOrEqual(100);
  });
});
