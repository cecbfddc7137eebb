// Answers of the checkout pages: the form (again, with messages), the end states (expired,
// complete, hosted confirmation) and what follows a pay-service outcome.
import type { Response } from 'express';
import type { Simulator } from '../simulator.js';
import type { Namespace } from '../store/namespace.js';
import { completionRedirectUrl, sessionsOf, type SessionRecord } from '../checkout/session-record.js';
import { promotionCodesOf } from '../checkout/coupons.js';
import type { PayOutcome } from '../payments/pay.js';
import { stringsFor, type Locale } from './i18n.js';
import { findPaymentIntent } from '../payments/intents.js';
import type { FormState } from './form-fields.js';
import { brandColour, type EmbedState } from './layout.js';
import { endStatePage } from './end-states.js';
import { prefill } from './form-prefill.js';
import { declineMessage } from './shopper-errors.js';
import { methodInfo } from '../payments/method-catalog.js';
import { chosenMethod } from './method-input.js';
import { checkoutPage } from './checkout-view.js';
import { pagePaths } from '../control/page-urls.js';
import { sendHtml, sendPage } from './send-page.js';
import { MERCHANT_DISPLAY_NAME } from '../core/merchant.js';

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

/** The latest stored copy (the pay service and session actions replace records). */
export function refreshed(ctx: PageCtx): PageCtx {
  return { ...ctx, session: sessionsOf(ctx.ns).get(ctx.session.id) ?? ctx.session };
}

export function appliedCode(ctx: PageCtx): string | null {
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
  const given = extras.state ?? prefill(ctx.ns, ctx.session);
  // The page lands on the first field in error (the checks run in the page's order).
  const state: FormState = { ...given, focus: given.focus ?? Object.keys(given.errors)[0] ?? null };
  // The form carries the chosen method in a hidden field; a link chooses it by query.
  const method = chosenMethod(s, state.values.method ?? extras.method);
  sendPage(res, status, checkoutPage({
    session: s, base: pagePaths.checkout(ctx.sim, ctx.ns, s.id), merchantName: MERCHANT_DISPLAY_NAME, testMode: !ctx.ns.livemode, embed: ctx.embed, query: frameQuery(ctx), state,
    alert: extras.alert ?? null, notice: extras.notice ?? null, appliedCode: appliedCode(ctx), challengeUrl: pendingChallenge(ctx), embedState: extras.embedState,
    method, otpStep: extras.otpStep ?? false,
  }));
}

/** What an SDK window's completion page tells the merchant page (onComplete). */
function completedState(s: SessionRecord): EmbedState {
  return { state: 'complete', sessionId: s.id, paymentIntentId: s._paymentIntentId, redirectUrl: completionRedirectUrl(s), paymentStatus: s.paymentStatus };
}

/** True when the session can no longer take a payment (and the end page was sent). */
export function sendEndStateIfClosed(res: Response, ctx: PageCtx): boolean {
  const s = shown(ctx);
  const base = { locale: s.locale, merchantName: MERCHANT_DISPLAY_NAME, testMode: !ctx.ns.livemode, embed: ctx.embed, primary: brandColour(s.brandingSettings) };
  const page = endStatePage(ctx.ns, s, base, completedState(s));
  if (!page) return false;
  sendHtml(res, page.status, page.body);
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
  const t = stringsFor(shown(next).locale);
  // Back at the form, focus goes where the shopper acts next: the card number, or the wallet/BNPL phone.
  const typed = state ?? prefill(next.ns, next.session);
  const method = chosenMethod(next.session, typed.values.method);
  const family = methodInfo(method)?.family ?? 'card';
  const focus = family === 'card' ? 'cardNumber' : family === 'wallet' || family === 'bnpl' ? 'methodPhone' : null;
  const message = declineMessage(e, t);
  // The message also sits under that field, so it is in view wherever the page scrolls to.
  const errors = focus ? { ...typed.errors, [focus]: message } : typed.errors;
  sendCheckout(res, next, 402, { state: { ...typed, errors, focus }, alert: message, embedState });
}
