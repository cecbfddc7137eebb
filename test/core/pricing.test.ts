import { describe, expect, it } from 'vitest';
import { allocate, computeTotals, DEFAULT_VAT_BPS, discountOf, percentToBps, type DiscountRule } from '../../src/core/pricing.js';
import { chargeFee } from '../../src/core/fees.js';

const noFees = { feesPassThrough: false, vatCollectionEnabled: false, vatCollectionRate: null };
const pct = (percentOff: number, extra: Partial<DiscountRule> = {}): DiscountRule => ({
  discountType: 'percentage', percentOff, amountOff: null, maxDiscountAmount: null, appliesToProductIds: null, ...extra,
});
const fixed = (amountOff: number, extra: Partial<DiscountRule> = {}): DiscountRule => ({
  discountType: 'fixed_amount', percentOff: null, amountOff, maxDiscountAmount: null, appliesToProductIds: null, ...extra,
});

describe('pricing', () => {
  it('multiplies unit amounts by quantities and sums them with no discount or fee', () => {
    const t = computeTotals([{ unitAmount: 85000, quantity: 2, productId: 'a' }, { unitAmount: 49900, quantity: 1, productId: 'b' }], [], noFees, 'EGP');
    expect(t).toEqual({
      lines: [{ amountSubtotal: 170000, amountDiscount: 0, amountTotal: 170000 }, { amountSubtotal: 49900, amountDiscount: 0, amountTotal: 49900 }],
      amountSubtotal: 219900, amountDiscount: 0, amountPlatformFee: 0, amountCollectedVat: 0, amountTotal: 219900,
    });
  });

  it('turns fractional percentages into whole basis points and rounds the discount half up', () => {
    expect(percentToBps(12.5)).toBe(1250);
    expect(percentToBps(33.333)).toBe(3333);
    expect(discountOf(pct(12.5), 999)).toBe(125); // 124.875 → 125
    expect(discountOf(pct(10), 5)).toBe(1); // 0.5 → 1
  });

  it('caps a percentage discount at maxDiscountAmount', () => {
    expect(discountOf(pct(25, { maxDiscountAmount: 20000 }), 319900)).toBe(20000);
    expect(discountOf(pct(25, { maxDiscountAmount: 20000 }), 40000)).toBe(10000);
  });

  it('never takes more off than the eligible amount', () => {
    expect(discountOf(fixed(5000), 3000)).toBe(3000);
    expect(discountOf(pct(100), 777)).toBe(777);
  });

  it('applies a product-restricted discount only to its products', () => {
    const t = computeTotals(
      [{ unitAmount: 85000, quantity: 1, productId: 'coffee' }, { unitAmount: 49900, quantity: 1, productId: 'shirt' }],
      [pct(20, { appliesToProductIds: ['coffee'] })], noFees, 'EGP',
    );
    expect(t.lines.map((l) => l.amountDiscount)).toEqual([17000, 0]);
    expect(t.amountDiscount).toBe(17000);
    expect(t.amountTotal).toBe(134900 - 17000);
  });

  it('spreads a discount over lines in proportion, and the line discounts add up exactly', () => {
    const t = computeTotals(
      [{ unitAmount: 333, quantity: 1, productId: 'a' }, { unitAmount: 333, quantity: 1, productId: 'b' }, { unitAmount: 334, quantity: 1, productId: 'c' }],
      [fixed(100)], noFees, 'EGP',
    );
    expect(t.lines.reduce((a, l) => a + l.amountDiscount, 0)).toBe(100);
    expect(t.amountTotal).toBe(900);
    expect(allocate(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(allocate(0, [1, 2])).toEqual([0, 0]);
    expect(allocate(5, [0, 0])).toEqual([0, 0]);
  });

  it('adds the card processing fee when fees pass through, and VAT in basis points on the discounted amount', () => {
    const t = computeTotals([{ unitAmount: 50000, quantity: 1, productId: 'a' }], [fixed(10000)], { feesPassThrough: true, vatCollectionEnabled: true, vatCollectionRate: 1400 }, 'EGP');
    expect(t.amountPlatformFee).toBe(chargeFee(40000, 'EGP', 'card').total);
    expect(t.amountCollectedVat).toBe(5600);
    expect(t.amountTotal).toBe(40000 + t.amountPlatformFee + 5600);
  });

  it("uses Egypt's 14% when VAT collection is on without a rate", () => {
    const t = computeTotals([{ unitAmount: 10000, quantity: 1, productId: 'a' }], [], { feesPassThrough: false, vatCollectionEnabled: true, vatCollectionRate: null }, 'EGP');
    expect(DEFAULT_VAT_BPS).toBe(1400);
    expect(t.amountCollectedVat).toBe(1400);
  });

  it('keeps three-decimal currencies in integer minor units', () => {
    const t = computeTotals([{ unitAmount: 15500, quantity: 3, productId: 'a' }], [pct(10)], { feesPassThrough: false, vatCollectionEnabled: true, vatCollectionRate: 500 }, 'KWD');
    expect(t.amountSubtotal).toBe(46500);
    expect(t.amountDiscount).toBe(4650);
    expect(t.amountCollectedVat).toBe(2093); // 5% of 41850 = 2092.5 → 2093
    expect(Number.isInteger(t.amountTotal)).toBe(true);
  });

  it('applies stacked discounts each to what the previous left', () => {
    const t = computeTotals([{ unitAmount: 10000, quantity: 1, productId: 'a' }], [pct(50), fixed(1000)], noFees, 'EGP');
    expect(t.amountDiscount).toBe(6000);
    expect(t.amountTotal).toBe(4000);
  });
});
