// /_sim/magic, /_sim/checkout/sessions/{id}/pay and /3ds: paying a session without a browser,
// through the same pay service as the hosted page. Declines answer 200 with the session (the
// decline is in paymentIntent.lastPaymentError); card validation errors answer 400 card_error.
import { errors } from '../core/errors.js';
import { nsOf, type Handler, type RequestContext } from '../http/types.js';
import type { Namespace } from '../store/namespace.js';
import { parseExpiry } from '../payments/card-input.js';
import { magicTable } from '../payments/magic-cards.js';
import { magicPhoneTable } from '../payments/magic-phones.js';
import { payCheckoutSession, resolveThreeDSecure, type PayCardInput, type PayInput } from '../payments/pay.js';

interface PayBody extends Omit<PayInput, 'card'> {
  card?: { number: string; expMonth?: number; expYear?: number; exp?: string; cvc: string; name?: string | null };
}

/** The caller's namespace: paying through /_sim needs the key the session was created with. */
const namespaceOf = (ctx: RequestContext): Namespace => nsOf(ctx);

export const getMagicCards: Handler = () => ({ status: 200, body: { ...magicTable(), otherMethods: magicPhoneTable() } });

export const paySimCheckoutSession: Handler = (ctx) => {
  const ns = namespaceOf(ctx);
  const body = ctx.body as PayBody;
  const input: PayInput = { ...body, card: undefined };
  // Read only when the session has something to charge: a card sent for a free order is ignored.
  if (body.card) input.card = () => readCard(body.card!);
  const outcome = payCheckoutSession(ctx.sim, ns, ctx.params.id!, input);
  return { status: 200, body: outcome.session };
};

/** The card of the request with its expiry as month and year (from `exp` or the two fields). */
function readCard(card: NonNullable<PayBody['card']>): PayCardInput {
  const { exp, expMonth, expYear, ...rest } = card;
  let month = expMonth;
  let year = expYear;
  if (exp !== undefined) {
    if (expMonth !== undefined || expYear !== undefined) throw errors.exclusive('card.exp', 'Pass either card.exp or card.expMonth and card.expYear, not both.');
    const parsed = parseExpiry(exp);
    if (!parsed) throw errors.invalid('card.exp', 'card.exp must look like MM/YY or MM/YYYY.');
    month = parsed.expMonth;
    year = parsed.expYear;
  }
  if (month === undefined) throw errors.missing('card.expMonth');
  if (year === undefined) throw errors.missing('card.expYear');
  return { ...rest, expMonth: month, expYear: year };
}

export const resolveSimThreeDSecure: Handler = (ctx) => {
  const ns = namespaceOf(ctx);
  const body = ctx.body as { chargeId: string; result: 'pass' | 'fail' };
  const outcome = resolveThreeDSecure(ctx.sim, ns, ctx.params.id!, body.chargeId, body.result === 'pass');
  return { status: 200, body: outcome.session };
};
