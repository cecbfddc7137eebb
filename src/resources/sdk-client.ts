// /_sdk/*: the simulator's own client endpoints behind the browser SDK (XPay's are private).
// Each is authenticated by a publishable key plus the session's clientSecret, acts only on the
// namespace of the pk_'s secret key, and answers with the SDK's session view. All but confirm
// answer CORS (src/http/cors.ts): the merchant page calls them from its own origin. Confirm carries
// card data and is taken only from the simulator's own element frame.
import { errors } from '../core/errors.js';
import type { Handler, RequestContext } from '../http/types.js';
import { publishableKey, resolveClientSession } from '../sdk-api/publishable.js';
import { frameUrls, sessionView } from '../sdk-api/session-view.js';
import { applyPromotionCode, removePromotionCode, setLineItemQuantity } from './checkout-sessions.js';
import { payCheckoutSession, type PayInput } from '../payments/pay.js';
import { sessionsOf, type SessionRecord } from '../checkout/session-record.js';
import type { Namespace } from '../store/namespace.js';

function clientSession(ctx: RequestContext, clientSecret: unknown): { ns: Namespace; session: SessionRecord } {
  const key = publishableKey(ctx.headers.authorization);
  const found = resolveClientSession(ctx.sim, key, clientSecret);
  // Persistence and the request log see the namespace this request acted on.
  ctx.ns = found.ns;
  return found;
}

function viewResult(ctx: RequestContext, ns: Namespace, id: string) {
  const session = sessionsOf(ns).get(id)!;
  return { status: 200, body: { session: sessionView(ctx.sim, ns, session), frames: frameUrls(ctx.sim, ns, session) } };
}

/** Answers 200 for expired and completed sessions too: the page reads `status.type` to decide. */
export const getSdkCheckoutSession: Handler = (ctx) => {
  const { ns, session } = clientSession(ctx, ctx.query.clientSecret);
  return viewResult(ctx, ns, session.id);
};

export const applySdkPromotionCode: Handler = (ctx) => {
  const body = ctx.body as { clientSecret: string; code: string };
  const { ns, session } = clientSession(ctx, body.clientSecret);
  if (body.code.trim() === '') throw errors.missing('code');
  applyPromotionCode(ns, session, body.code);
  return viewResult(ctx, ns, session.id);
};

export const removeSdkPromotionCode: Handler = (ctx) => {
  const { ns, session } = clientSession(ctx, ctx.query.clientSecret);
  removePromotionCode(ns, session);
  return viewResult(ctx, ns, session.id);
};

export const updateSdkLineItemQuantity: Handler = (ctx) => {
  const body = ctx.body as { clientSecret: string; quantity: number };
  const { ns, session } = clientSession(ctx, body.clientSecret);
  setLineItemQuantity(ns, session, ctx.params.lineItemId!, body.quantity);
  return viewResult(ctx, ns, session.id);
};

/** The browser's Origin, when sent, must be the simulator's own: card data never comes from a merchant page. */
function refuseForeignOrigin(ctx: RequestContext): void {
  const origin = ctx.headers.origin;
  if (origin === undefined) return;
  const own = new Set([new URL(ctx.sim.publicUrl).origin]);
  if (ctx.headers.host) own.add(`http://${ctx.headers.host}`);
  if (!own.has(origin)) throw errors.permission('Card details are only taken from the simulator\'s own payment frame, never from another site.');
}

interface ConfirmBody {
  clientSecret: string;
  card?: { number: string; expMonth: number; expYear: number; cvc: string; name?: string | null };
  customerDetails?: PayInput['customerDetails'];
}

/** One payment attempt through the same pay service as the hosted page; declines and 3-D Secure are outcomes (200). */
export const confirmSdkCheckoutSession: Handler = (ctx) => {
  refuseForeignOrigin(ctx);
  const body = ctx.body as ConfirmBody;
  const { ns, session } = clientSession(ctx, body.clientSecret);
  const outcome = payCheckoutSession(ctx.sim, ns, session.id, { card: body.card, customerDetails: body.customerDetails });
  const view = viewResult(ctx, ns, session.id).body;
  // A method paid later (kiosk reference) completes the session unpaid: the view's status says so.
  if (outcome.kind === 'succeeded' || outcome.kind === 'pending') {
    const pi = view.session.paymentIntentId ?? null;
    return { status: 200, body: { outcome: 'succeeded', ...view, redirectUrl: outcome.redirectUrl, paymentIntentId: pi } };
  }
  if (outcome.kind === 'requires_action') {
    return { status: 200, body: { outcome: 'requires_action', ...view, actionUrl: `${outcome.challengeUrl}?embed=true` } };
  }
  const e = outcome.error;
  return { status: 200, body: { outcome: 'failed', ...view, error: { type: e.type, code: e.code, declineCode: e.declineCode, message: e.message } } };
};
