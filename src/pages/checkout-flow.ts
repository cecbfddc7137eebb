// Answers of the checkout pages: the form (again, with messages), the end states (expired,
// complete, hosted confirmation) and what follows a pay-service outcome.
import type { Response } from 'express';
import type { Simulator } from '../simulator.js';
import type { Namespace } from '../store/namespace.js';
import { completionRedirectUrl, renderSession, sessionsOf, type SessionRecord } from '../checkout/session-record.js';
import { promotionCodesOf } from '../checkout/coupons.js';
import type { PayOutcome } from '../payments/pay.js';
import { stringsFor, type Locale } from './i18n.js';
import { safeHref } from './html.js';
import { findPaymentIntent } from '../payments/intents.js';
import { emptyState, type FormState } from './form-fields.js';
import { brandColour, messagePage, shell, type EmbedState } from './layout.js';
import { pendingPaymentBody } from './pending-payment.js';
import { chosenMethod } from './method-input.js';
import { renderCheckoutPage } from './checkout-view.js';
import { pagePaths } from '../control/page-urls.js';
import { setPageSecurityHeaders } from './security.js';

export interface PageCtx {
  sim: Simulator;
  ns: Namespace;
  session: SessionRecord;
  embed: boolean;
  /** The SDK's `locale` option: overrides the session's in its window (carried by every URL of the window). */
  locale?: Locale;
}

/** `?embed=true` (and the SDK's locale) for URLs that stay inside the SDK window; '' on hosted pages. */
export function frameQuery(ctx: Pick<PageCtx, 'embed' | 'locale'>): string {
  return ctx.embed ? `?embed=true${ctx.locale ? `&locale=${ctx.locale}` : ''}` : '';
}

/** The session as the window shows it (in the SDK's locale when one was asked for). */
function shown(ctx: PageCtx): SessionRecord {
  return ctx.locale ? { ...ctx.session, locale: ctx.locale } : ctx.session;
}

export function sendHtml(res: Response, status: number, body: string): void {
  res.status(status).set({ 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  setPageSecurityHeaders(res, res.locals.embedded === true);
  res.send(body);
}

export function merchantNameOf(ctx: Pick<PageCtx, 'sim' | 'ns' | 'session'>): string {
  return String(renderSession(ctx.sim, ctx.ns, ctx.session).merchantName ?? '');
}

/** The latest stored copy (the pay service and session actions replace records). */
export function refreshed(ctx: PageCtx): PageCtx {
  return { ...ctx, session: sessionsOf(ctx.ns).get(ctx.session.id) ?? ctx.session };
}

function appliedCode(ctx: PageCtx): string | null {
  const d = ctx.session._discounts.find((x) => x.promotionCodeId);
  return d?.promotionCodeId ? (promotionCodesOf(ctx.ns.db).get(d.promotionCodeId)?.code ?? null) : null;
}

/** A 3-D Secure challenge left open (the shopper came back): where to finish it. */
function pendingChallenge(ctx: PageCtx): string | null {
  const id = ctx.session._paymentIntentId;
  const pi = id ? findPaymentIntent(ctx.ns, id) : undefined;
  const next = pi?.status === 'REQUIRES_ACTION' ? (pi.nextAction as { redirectToUrl?: { url?: string } } | null) : null;
  return next?.redirectToUrl?.url ?? null;
}

export interface CheckoutExtras {
  state?: FormState;
  alert?: string | null;
  notice?: string | null;
  /** The method to show when the form does not say (a `?method=` link). */
  method?: unknown;
  otpStep?: boolean;
  /** In the SDK window: what its frame script tells the merchant page (a failed attempt). */
  embedState?: EmbedState;
}

export function sendCheckout(res: Response, ctx: PageCtx, status: number, extras: CheckoutExtras = {}): void {
  const s = shown(ctx);
  const state = extras.state ?? prefill(ctx);
  // The form carries the chosen method in a hidden field; a link chooses it by query.
  const method = chosenMethod(s, state.values.method ?? extras.method);
  sendHtml(res, status, renderCheckoutPage({
    session: s, base: pagePaths.checkout(ctx.sim, ctx.ns, s.id), merchantName: merchantNameOf(ctx), testMode: !ctx.ns.livemode, embed: ctx.embed, query: frameQuery(ctx), state,
    alert: extras.alert ?? null, notice: extras.notice ?? null, appliedCode: appliedCode(ctx), challengeUrl: pendingChallenge(ctx), embedState: extras.embedState,
    method, otpStep: extras.otpStep ?? false,
  }));
}

// Answers typed on a payment link page, shown again on the session's checkout form.
const PREFILL = 'pages.prefill';

export function rememberPrefill(ns: Namespace, sessionId: string, values: Record<string, string>): void {
  if (Object.keys(values).length === 0) return;
  let map = ns.extensions.get(PREFILL) as Map<string, Record<string, string>> | undefined;
  if (!map) ns.extensions.set(PREFILL, (map = new Map()));
  map.set(sessionId, values);
}

/** What the session already knows about the shopper fills the form at first. */
function prefill(ctx: PageCtx): FormState {
  const s = ctx.session;
  const remembered = (ctx.ns.extensions.get(PREFILL) as Map<string, Record<string, string>> | undefined)?.get(s.id);
  const d = s.customerDetails;
  const c = s.customerId ? ctx.ns.db.customers.get(s.customerId) : undefined;
  const values: Record<string, string> = { ...remembered };
  const email = d?.email ?? c?.email;
  const name = d?.name ?? c?.name;
  const phone = d?.phone ?? c?.phone;
  if (email) values.email = email;
  if (name) values.name = name;
  if (phone) values.phone = phone;
  return { ...emptyState(), values };
}

/** What an SDK window's completion page tells the merchant page (onComplete). */
function completedState(s: SessionRecord): EmbedState {
  return { state: 'complete', sessionId: s.id, paymentIntentId: s._paymentIntentId, redirectUrl: completionRedirectUrl(s), paymentStatus: s.paymentStatus };
}

/** True when the session can no longer take a payment (and the end page was sent). */
export function sendEndStateIfClosed(res: Response, ctx: PageCtx): boolean {
  const s = shown(ctx);
  if (s.status === 'open') return false;
  const t = stringsFor(s.locale);
  const base = { locale: s.locale, merchantName: merchantNameOf(ctx), testMode: !ctx.ns.livemode, embed: ctx.embed, primary: brandColour(s.brandingSettings) };
  if (s.status === 'expired') {
    sendHtml(res, 410, messagePage({ ...base, title: t.expired, heading: t.expired, text: t.expiredBody, embedState: { state: 'expired' } }));
    return true;
  }
  const hc = s.afterCompletion.type === 'hosted_confirmation' ? s.afterCompletion.hostedConfirmation : null;
  if (s.paymentStatus === 'unpaid') {
    // Completed with the money still to come (or it never came): the reference and what to do.
    const pi = s._paymentIntentId ? findPaymentIntent(ctx.ns, s._paymentIntentId) : undefined;
    const next = safeHref(completionRedirectUrl(s)) ?? safeHref(hc?.returnUrl);
    const section = pendingPaymentBody(pi, t, s.locale, t.codPending, next ? { href: next, label: t.returnToMerchant } : null);
    // In the SDK window the merchant page hears of the order (onComplete, paymentStatus unpaid) while the reference stays shown.
    sendHtml(res, 200, shell({ ...base, title: t.awaitingPayment, embedState: completedState(s) }, section));
    return true;
  }
  const free = s.paymentStatus === 'no_payment_required';
  const body = free ? t.orderCompleteBody : t.completeBody;
  if (s.afterCompletion.type === 'hosted_confirmation') {
    const href = safeHref(hc?.returnUrl);
    const link = href ? { href, label: t.returnToMerchant } : null;
    const heading = free ? t.orderComplete : t.thanks;
    sendHtml(res, 200, messagePage({ ...base, title: heading, heading, text: hc?.customMessage || body, link }));
  } else {
    const heading = free ? t.orderComplete : t.complete;
    // In the SDK window the frame script hands the result to the merchant page, which navigates.
    sendHtml(res, 200, messagePage({ ...base, title: heading, heading, text: body, embedState: completedState(s) }));
  }
  return true;
}

/** This session's own page, staying inside the SDK window when in one. */
function ownPage(ctx: PageCtx): string {
  return `${pagePaths.checkout(ctx.sim, ctx.ns, ctx.session.id)}${frameQuery(ctx)}`;
}

/** Success → merchant redirect or the confirmation page; 3DS → challenge; decline → the form with the message (402). */
export function sendOutcome(res: Response, ctx: PageCtx, outcome: PayOutcome, state?: FormState): void {
  if (outcome.kind === 'succeeded') {
    // An SDK window never leaves for the merchant's URL itself: its completion page tells the merchant page (onComplete).
    res.redirect(303, ctx.embed ? ownPage(ctx) : (outcome.redirectUrl ?? ownPage(ctx)));
    return;
  }
  if (outcome.kind === 'pending') {
    // The shopper needs the reference (or the cash-on-delivery note) before going back to the merchant.
    res.redirect(303, ownPage(ctx));
    return;
  }
  if (outcome.kind === 'requires_action') {
    // An embedded session's challenge stays inside the SDK window (and may be framed there).
    res.redirect(303, outcome.challengeUrl + frameQuery(ctx));
    return;
  }
  const next = refreshed(ctx);
  if (sendEndStateIfClosed(res, next)) return;
  const e = outcome.error;
  const embedState: EmbedState = { state: 'failed', error: { type: e.type, code: e.code, declineCode: e.declineCode, message: e.message } };
  sendCheckout(res, next, 402, { state, alert: e.message, embedState });
}
