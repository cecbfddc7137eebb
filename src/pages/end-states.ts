// The pages of a session that can no longer take a payment: expired (with a way back to the shop),
// paid (the confirmation: amount, date, method, reference, receipt link), free, and completed with
// the money still to come (the kiosk reference or cash-on-delivery note).
import type { Namespace } from '../store/namespace.js';
import { completionRedirectUrl, type SessionRecord } from '../checkout/session-record.js';
import { findPaymentIntent } from '../payments/intents.js';
import { findCharge } from '../payments/charges.js';
import type { ChargeRecord } from '../payments/types.js';
import { html, safeHref, type SafeHtml } from './html.js';
import { fill, stringsFor, type Strings } from './i18n.js';
import { messagePage, shell, type ShellOptions } from './layout.js';
import { pendingPaymentBody } from './pending-payment.js';
import { detailList } from './detail-list.js';
import { longDate, money } from './money.js';

type Link = { href: string; label: string } | null;

/** Where "back to the shop" goes: the session's cancelUrl, else the origin of its success or return URL. */
export function shopLink(s: SessionRecord, t: Strings): Link {
  const cancel = safeHref(s.cancelUrl);
  if (cancel) return { href: cancel, label: t.backToShop };
  const hc = s.afterCompletion.type === 'hosted_confirmation' ? s.afterCompletion.hostedConfirmation : null;
  const onward = safeHref(completionRedirectUrl(s)) ?? safeHref(hc?.returnUrl);
  return onward ? { href: `${new URL(onward).origin}/`, label: t.backToShop } : null;
}

/** The card as a shopper names it ("Visa ending in 4242"), else the method's name. */
export function methodLabel(charge: ChargeRecord, t: Strings): SafeHtml {
  const card = charge.paymentMethodDetails?.card;
  if (card) {
    const brand = t.cardBrands[card.brand as keyof Strings['cardBrands']] ?? t.cardBrands.unknown;
    return html`<bdi>${fill(t.cardEnding, { brand, last4: card.last4 })}</bdi>`;
  }
  const type = charge.paymentMethodDetails?.type ?? 'card';
  return html`${t.methodNames[type as keyof Strings['methodNames']] ?? type}`;
}

/** The reference a shopper quotes: the BNPL loan or kiosk number, else the charge id. */
function referenceOf(charge: ChargeRecord): string {
  const d = charge.paymentMethodDetails;
  return d?.valu?.loanNumber ?? d?.fawry?.fawryRefNumber ?? charge.id;
}

/** The paid session's latest succeeded charge (the one its receipt is for). */
function paidCharge(ns: Namespace, s: SessionRecord): ChargeRecord | undefined {
  const pi = s._paymentIntentId ? findPaymentIntent(ns, s._paymentIntentId) : undefined;
  const ids = pi?._chargeIds ?? [];
  for (let i = ids.length - 1; i >= 0; i--) {
    const charge = findCharge(ns, ids[i]!);
    if (charge?.paid) return charge;
  }
  return undefined;
}

function confirmationDetails(charge: ChargeRecord, t: Strings, locale: string): SafeHtml {
  const receipt = safeHref(charge.receiptUrl);
  return html`<p class="amount-big" data-testid="amount">${money(charge.amount, charge.currency, locale)}</p>
${detailList([
  { label: t.date, value: html`<time datetime="${charge.createdAt}">${longDate(charge.createdAt, locale)}</time>` },
  { label: t.paymentMethod, value: methodLabel(charge, t) },
  { label: t.paymentReference, value: html`<bdi data-testid="reference">${referenceOf(charge)}</bdi>` },
])}
${receipt ? html`<p><a href="${receipt}" data-testid="receipt-link">${t.viewReceipt}</a></p>` : ''}`;
}

export interface EndState {
  status: number;
  body: string;
}

/**
 * The page of a closed session, or null while it is open. `base` is the shell of the page
 * (locale, merchant, embed…); `completed` is what an SDK window tells the merchant page.
 */
export function endStatePage(ns: Namespace, s: SessionRecord, base: Omit<ShellOptions, 'title'> & { embed: boolean }, completed: ShellOptions['embedState']): EndState | null {
  if (s.status === 'open') return null;
  const t = stringsFor(s.locale);
  const locale = s.locale ?? 'en';
  // Inside the SDK window the merchant's own page is around it: no links that would load a shop in the frame.
  const back = base.embed ? null : shopLink(s, t);
  if (s.status === 'expired') {
    return { status: 410, body: messagePage({ ...base, title: t.expired, heading: t.expired, text: back ? t.expiredBack : t.expiredBody, link: back, embedState: { state: 'expired' } }) };
  }
  const hc = s.afterCompletion.type === 'hosted_confirmation' ? s.afterCompletion.hostedConfirmation : null;
  const onward: Link = base.embed ? null : (() => {
    const href = safeHref(hc?.returnUrl) ?? safeHref(completionRedirectUrl(s));
    return href ? { href, label: t.returnToMerchant } : back;
  })();
  if (s.paymentStatus === 'unpaid') {
    // Completed with the money still to come (or it never came): the reference and what to do.
    const pi = s._paymentIntentId ? findPaymentIntent(ns, s._paymentIntentId) : undefined;
    const section = pendingPaymentBody(pi, t, locale, t.codPending, onward);
    return { status: 200, body: shell({ ...base, title: t.awaitingPayment, embedState: completed }, section) };
  }
  const free = s.paymentStatus === 'no_payment_required';
  const heading = free ? t.orderComplete : hc ? t.thanks : t.complete;
  const text = (hc?.customMessage || null) ?? (free ? t.orderCompleteBody : t.completeBody);
  const charge = free ? undefined : paidCharge(ns, s);
  const section = html`<section class="card message" aria-labelledby="done-h">
<h1 id="done-h">${heading}</h1>
<p>${text}</p>
${charge ? confirmationDetails(charge, t, locale) : ''}
${onward ? html`<p><a class="button" href="${onward.href}">${onward.label}</a></p>` : ''}
</section>`;
  // In the SDK window the frame script hands the result to the merchant page, which navigates.
  return { status: 200, body: shell({ ...base, title: heading, embedState: hc ? undefined : completed }, section) };
}
