// The session's `fees` (XPay's FeesResponse) and the per-method fee estimates the checkout page
// shows. Both come from the simulated schedule (src/core/fees.ts) on the discounted amount, the
// same figures computeTotals passes through, so `fees` always agrees with totalDetails.
import { chargeFee, DEFAULT_FEE_SCHEDULE, PASS_THROUGH_METHOD } from '../core/fees.js';
import type { SessionRecord } from './session-record.js';

type FeeFacts = Pick<SessionRecord, 'feeConfig' | 'currency' | 'amountSubtotal' | 'totalDetails'>;

function discounted(session: FeeFacts): number {
  return session.amountSubtotal - session.totalDetails.amountDiscount;
}

/** What the shopper would pay in fees (processing plus its VAT) with `method`; 0 without pass-through. */
export function methodFeeEstimate(session: FeeFacts, method: string): number {
  if (!session.feeConfig.feesPassThrough) return 0;
  return chargeFee(discounted(session), session.currency, method).total;
}

/**
 * FeesResponse, populated only when fees pass through or VAT is collected (absent otherwise, as the
 * contract says). feeAmount + vatAmount = totalAmount = amountPlatformFee + amountCollectedVat.
 */
export function sessionFees(session: FeeFacts): Record<string, unknown> | undefined {
  const { feesPassThrough, vatCollectionEnabled } = session.feeConfig;
  if (!feesPassThrough && !vatCollectionEnabled) return undefined;
  const fee = feesPassThrough ? chargeFee(discounted(session), session.currency, PASS_THROUGH_METHOD) : { processing: 0, vat: 0 };
  const bps = feesPassThrough ? (DEFAULT_FEE_SCHEDULE.percentBps[PASS_THROUGH_METHOD] ?? 0) : 0;
  const vatAmount = fee.vat + session.totalDetails.amountCollectedVat;
  return {
    paymentMethodType: PASS_THROUGH_METHOD,
    feeAmount: fee.processing,
    feePercentage: bps / 100,
    vatAmount,
    totalAmount: fee.processing + vatAmount,
  };
}
