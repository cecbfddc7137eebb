// /_sim/payment-intents/{id}/settle and /_sim/refunds/{id}/settle: what the outside world does
// later to a payment or refund that waits (a kiosk reference paid, cash collected, a refund sent).
import { nsOf, type Handler } from '../http/types.js';
import { settleAsyncPayment, type SettleOutcome } from '../payments/pay.js';
import { renderRefund } from '../payments/refund-service.js';
import { settleRefund } from '../payments/refund-async.js';

export const settleSimPaymentIntent: Handler = (ctx) => {
  const body = ctx.body as { outcome: SettleOutcome };
  return { status: 200, body: settleAsyncPayment(ctx.sim, nsOf(ctx), ctx.params.id!, body.outcome) };
};

export const settleSimRefund: Handler = (ctx) => {
  const body = ctx.body as { outcome: 'succeeded' | 'failed' };
  return { status: 200, body: renderRefund(settleRefund(ctx.sim, nsOf(ctx), ctx.params.id!, body.outcome)) };
};
