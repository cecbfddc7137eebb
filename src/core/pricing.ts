// Pure totals math for checkout sessions and payment links: line subtotals, discounts (percent
// or fixed, capped, product-restricted), pass-through processing fee and collected VAT.
// Integer minor units throughout; percentages become integer basis points before any arithmetic.
import { chargeFee, PASS_THROUGH_METHOD } from './fees.js';
import { basisPoints } from './money.js';

/** Largest amount a session or link may total, so `amount * bps` stays a safe integer. */
export const MAX_AMOUNT = 99_999_999_999;
/** VAT rate used when VAT collection is on but no rate was given (Egypt's 14%). @assumption */
export const DEFAULT_VAT_BPS = 1400;

export interface PricedLine {
  unitAmount: number;
  quantity: number;
  productId: string;
}

export interface DiscountRule {
  discountType: 'percentage' | 'fixed_amount';
  percentOff: number | null;
  amountOff: number | null;
  maxDiscountAmount: number | null;
  /** null or empty: every product is eligible. */
  appliesToProductIds: string[] | null;
}

export interface FeeRule {
  /** Passes the simulated card processing fee (with its VAT, src/core/fees.ts) on to the shopper. */
  feesPassThrough: boolean;
  vatCollectionEnabled: boolean;
  vatCollectionRate: number | null;
}

export interface LineTotals {
  amountSubtotal: number;
  amountDiscount: number;
  amountTotal: number;
}

export interface Totals {
  lines: LineTotals[];
  amountSubtotal: number;
  amountDiscount: number;
  amountPlatformFee: number;
  amountCollectedVat: number;
  amountTotal: number;
}

/** 12.5 (percent) → 1250 basis points; the only place a fractional percentage is touched. */
export function percentToBps(percentOff: number): number {
  return Math.round(percentOff * 100);
}

export function lineSubtotal(line: PricedLine): number {
  return line.unitAmount * line.quantity;
}

/** What one discount takes off an eligible amount: never more than that amount or the cap. */
export function discountOf(rule: DiscountRule, eligible: number): number {
  if (eligible <= 0) return 0;
  let off = rule.discountType === 'percentage' ? basisPoints(eligible, percentToBps(rule.percentOff ?? 0)) : (rule.amountOff ?? 0);
  if (rule.maxDiscountAmount !== null && rule.maxDiscountAmount > 0) off = Math.min(off, rule.maxDiscountAmount);
  return Math.max(0, Math.min(off, eligible));
}

/** Splits `total` over `weights` in proportion, remainders to the largest fractions (ties: first). */
export function allocate(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0 || total === 0) return weights.map(() => 0);
  const shares = weights.map((w) => Math.floor((total * w) / sum));
  const remainders = weights.map((w, i) => ({ i, r: (total * w) % sum }));
  let left = total - shares.reduce((a, b) => a + b, 0);
  remainders.sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of remainders) {
    if (left === 0) break;
    if (weights[i]! > 0) {
      shares[i]! += 1;
      left--;
    }
  }
  return shares;
}

export function isEligible(rule: DiscountRule, productId: string): boolean {
  return !rule.appliesToProductIds || rule.appliesToProductIds.length === 0 || rule.appliesToProductIds.includes(productId);
}

/** Applies discounts in order, each to what earlier ones left of its eligible lines. */
export function computeTotals(lines: PricedLine[], discounts: DiscountRule[], fee: FeeRule, currency: string): Totals {
  const subtotals = lines.map(lineSubtotal);
  const remaining = [...subtotals];
  for (const rule of discounts) {
    const weights = lines.map((l, i) => (isEligible(rule, l.productId) ? remaining[i]! : 0));
    const off = discountOf(rule, weights.reduce((a, b) => a + b, 0));
    allocate(off, weights).forEach((share, i) => (remaining[i]! -= share));
  }
  const amountSubtotal = subtotals.reduce((a, b) => a + b, 0);
  const afterDiscount = remaining.reduce((a, b) => a + b, 0);
  const amountPlatformFee = fee.feesPassThrough ? chargeFee(afterDiscount, currency, PASS_THROUGH_METHOD).total : 0;
  const amountCollectedVat = fee.vatCollectionEnabled ? basisPoints(afterDiscount, fee.vatCollectionRate ?? DEFAULT_VAT_BPS) : 0;
  return {
    lines: subtotals.map((s, i) => ({ amountSubtotal: s, amountDiscount: s - remaining[i]!, amountTotal: remaining[i]! })),
    amountSubtotal,
    amountDiscount: amountSubtotal - afterDiscount,
    amountPlatformFee,
    amountCollectedVat,
    amountTotal: afterDiscount + amountPlatformFee + amountCollectedVat,
  };
}
