// The simulated fee schedule (XPay publishes no rates): a percentage per payment method plus a
// fixed part per currency, and VAT on the fee. Integer math only.
import { basisPoints } from './money.js';

export interface FeeSchedule {
  /** Percentage of the amount, in basis points, per payment method type. */
  percentBps: Record<string, number>;
  /** Fixed fee in minor units per currency. */
  fixed: Record<string, number>;
  /** VAT on the fee, in basis points (Egypt: 14%). */
  vatBps: number;
}

export const DEFAULT_FEE_SCHEDULE: FeeSchedule = {
  percentBps: {
    card: 275, apple_pay: 275, google_pay: 275, samsung_pay: 275,
    fawry: 200, aman: 200, instapay: 100, bank_transfer: 100, cash_on_delivery: 300,
    vodafone_cash: 250, etisalat_cash: 250, orange_cash: 250, we_pay: 250,
    valu: 400, sympl: 400, tabby: 450, tamara: 450,
    default: 275,
  },
  fixed: { EGP: 300, USD: 30, EUR: 30, GBP: 30, SAR: 100, AED: 100, QAR: 100, KWD: 100, JOD: 100, OMR: 100, BHD: 100, LYD: 100, AUD: 30, CAD: 30, CNY: 200 },
  vatBps: 1400,
};

/** The rate a pass-through fee is charged at: the card's, since a session's total is fixed before the shopper picks a method. */
export const PASS_THROUGH_METHOD = 'card';

export interface FeeBreakdown {
  processing: number;
  vat: number;
  total: number;
}

/** Fee on a charge; never more than the amount itself. */
export function chargeFee(amount: number, currency: string, method: string, schedule: FeeSchedule = DEFAULT_FEE_SCHEDULE): FeeBreakdown {
  const bps = schedule.percentBps[method] ?? schedule.percentBps.default ?? 0;
  const processing = Math.min(amount, basisPoints(amount, bps) + (schedule.fixed[currency] ?? 0));
  const vat = Math.min(amount - processing, basisPoints(processing, schedule.vatBps));
  return { processing, vat, total: processing + vat };
}
