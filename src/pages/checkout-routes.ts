// /c/{sessionId}: show the hosted checkout, pay (through the pay service), apply a promotion
// code and change quantities (through the checkout session actions).
import type { Request, Response, Router } from 'express';
import { XPayError } from '../core/errors.js';
import type { Simulator } from '../simulator.js';
import { payCheckoutSession } from '../payments/pay.js';
import { applyPromotionCode, removePromotionCode, setLineItemQuantity } from '../resources/checkout-sessions.js';
import { markOtpSent, otpExpired } from '../checkout/session-actions.js';
import { findSessionForPage } from './lookup.js';
import { refuseForeignOrigin } from './security.js';
import { browserLocale, stringsFor, type Locale } from './i18n.js';
import type { FormState } from './form-fields.js';
import { fieldOfError, formValues, readPayForm, refill } from './form-input.js';
import { notFoundPage } from './layout.js';
import { refusalMessage } from './shopper-errors.js';
import { appliedCode, refreshed, sendCheckout, sendEndStateIfClosed, sendOutcome, type PageCtx } from './checkout-flow.js';
import { sendHtml } from './send-page.js';

const LOCALES: readonly string[] = ['en', 'ar'];

function localeOf(value: unknown): Locale | undefined {
  return typeof value === 'string' && LOCALES.includes(value) ? (value as Locale) : undefined;
}

/** The page context, or undefined after answering 404 / the end-state page. */
export function openContext(sim: Simulator, req: Request, res: Response, nsToken: string, sessionId: string): PageCtx | undefined {
  const found = findSessionForPage(sim, nsToken, sessionId);
  if (!found) {
    sendHtml(res, 404, notFoundPage(browserLocale(req)));
    return undefined;
  }
  const embed = req.query.embed === 'true';
  // Embedded and custom sessions live inside the merchant's page (SDK window), never on their own.
  if (found.session.uiMode !== 'hosted' && !embed) {
    sendHtml(res, 404, notFoundPage(found.session.locale));
    return undefined;
  }
  const ctx: PageCtx = { sim, ns: found.ns, session: found.session, embed };
  const locale = embed ? localeOf(req.query.locale) : undefined;
  if (locale) ctx.locale = locale;
  // Only sessions made for the merchant's page (uiMode embedded/custom) may be framed; a hosted one never.
  res.locals.embedded = embed && found.session.uiMode !== 'hosted';
  if (sendEndStateIfClosed(res, ctx)) return undefined;
  return ctx;
}

/** A service error as a message next to its field, or page-wide when it belongs to none, in the page's words. */
export function sendServiceError(res: Response, ctx: PageCtx, e: unknown, state: FormState, lineItemId?: string): void {
  if (!(e instanceof XPayError)) throw e;
  const next = refreshed(ctx);
  if (sendEndStateIfClosed(res, next)) return;
  const field = fieldOfError(e, next.session, lineItemId);
  const message = refusalMessage(e.code, { field, params: refusalParams(next, state, field) }, stringsFor(ctx.locale ?? next.session.locale));
  // Validation errors answer 400 (like the API); a missing line item is the form's fault, not a 404.
  const status = e.status === 404 ? 400 : e.status;
  if (field) sendCheckout(res, next, status, { state: { ...state, errors: { ...state.errors, [field]: message } } });
  else sendCheckout(res, next, status, { state, alert: message });
}

/** What a refusal's words name: the promotion code typed, the bounds of the quantity in error. */
function refusalParams(ctx: PageCtx, state: FormState, field: string | null): Record<string, string | number> {
  const line = field?.startsWith('qty_') ? ctx.session.lineItems.find((l) => `qty_${l.id}` === field) : undefined;
  const aq = line?.adjustableQuantity;
  return { code: state.values.code?.trim() || appliedCode(ctx) || '', min: aq?.minimum ?? 1, max: aq?.maximum ?? '' };
}

export function mountCheckoutRoutes(app: Router, sim: Simulator): void {
  app.get('/c/:ns/:id', (req, res) => {
    const ctx = openContext(sim, req, res, req.params.ns!, req.params.id!);
    if (ctx) sendCheckout(res, ctx, 200, { method: req.query.method });
  });

  app.post('/c/:ns/:id', (req, res) => {
    if (refuseForeignOrigin(sim, req, res)) return;
    const ctx = openContext(sim, req, res, req.params.ns!, req.params.id!);
    if (!ctx) return;
    const values = formValues(req.body);
    const { input, state, needsOtp } = readPayForm(ctx.session, values, stringsFor(ctx.session.locale));
    if (Object.keys(state.errors).length > 0) return sendCheckout(res, ctx, 400, { state, otpStep: values.otpStep === '1' });
    // Wallets and BNPL: the phone step "sends" the code; the next post carries it and pays.
    if (needsOtp) return sendCheckout(res, { ...ctx, session: markOtpSent(ctx.ns, ctx.session) }, 200, { state, otpStep: true });
    // A code typed after its window (namespace clock) is declined as timed out, like a real provider.
    const phoneInput = input.wallet ?? input.bnpl;
    if (phoneInput) phoneInput.otpExpired = otpExpired(ctx.ns, ctx.session);
    try {
      sendOutcome(res, ctx, payCheckoutSession(sim, ctx.ns, ctx.session.id, input), state);
    } catch (e) {
      sendServiceError(res, ctx, e, state);
    }
  });

  app.post('/c/:ns/:id/promo', (req, res) => {
    if (refuseForeignOrigin(sim, req, res)) return;
    const ctx = openContext(sim, req, res, req.params.ns!, req.params.id!);
    if (!ctx) return;
    const values = formValues(req.body);
    const state: FormState = { values: refill(values), errors: {} };
    try {
      if (values.remove) removePromotionCode(ctx.ns, ctx.session);
      else {
        const code = values.code?.trim() ?? '';
        if (!code) return sendCheckout(res, ctx, 400, { state: { ...state, errors: { code: stringsFor(ctx.session.locale).required } } });
        applyPromotionCode(ctx.ns, ctx.session, code);
      }
      delete state.values.code;
      sendCheckout(res, refreshed(ctx), 200, { state });
    } catch (e) {
      sendServiceError(res, ctx, e, state);
    }
  });

  app.post('/c/:ns/:id/quantity', (req, res) => {
    if (refuseForeignOrigin(sim, req, res)) return;
    const ctx = openContext(sim, req, res, req.params.ns!, req.params.id!);
    if (!ctx) return;
    const values = formValues(req.body);
    const state: FormState = { values: refill(values), errors: {} };
    const t = stringsFor(ctx.session.locale);
    // Every changed quantity counts, whichever Update button was pressed.
    const ids = ctx.session.lineItems.filter((l) => l.adjustableQuantity?.enabled && values[`qty_${l.id}`] !== undefined).map((l) => l.id);
    let current = ctx;
    for (const id of ids) {
      const raw = values[`qty_${id}`]!.trim();
      if (!/^\d+$/.test(raw)) return sendCheckout(res, current, 400, { state: { ...state, errors: { [`qty_${id}`]: t.badNumber } } });
      const line = current.session.lineItems.find((l) => l.id === id)!;
      if (Number(raw) === line.quantity) continue;
      try {
        setLineItemQuantity(current.ns, current.session, id, Number(raw));
      } catch (e) {
        return sendServiceError(res, current, e, state, id);
      }
      current = refreshed(current);
    }
    for (const id of ids) delete state.values[`qty_${id}`];
    sendCheckout(res, current, 200, { state });
  });
}
