// The hosted checkout page for an open session: order summary (quantities, promotion code,
// totals) and the contact/address/custom-field/payment-method form, all in one no-JavaScript form.
// A session with nothing to pay (total 0) shows no card section and a "Complete order" button.
import { money as formatAmount } from './money.js';
import type { SessionRecord } from '../checkout/session-record.js';
import { html, safeHref, type SafeHtml } from './html.js';
import { detailList } from './detail-list.js';
import { stringsFor, type Strings } from './i18n.js';
import { addressFields, customFields, field, type FormState } from './form-fields.js';
import { brandColour, shellParts, type EmbedState } from './layout.js';
import { methodSection } from './method-fields.js';
import { methodFeeEstimate } from '../checkout/session-fees.js';
import { methodInfo } from '../payments/method-catalog.js';

export interface CheckoutView {
  session: SessionRecord;
  /** Path of this checkout page (it carries the namespace token), where its forms post. */
  base: string;
  merchantName: string;
  testMode: boolean;
  embed: boolean;
  /** What this page's own URLs carry (`?embed=true…` inside the SDK window). */
  query: string;
  state: FormState;
  /** A decline or other page-wide message, shown in role="alert". */
  alert?: string | null;
  notice?: string | null;
  /** The promotion code currently applied, shown with a way to remove it. */
  appliedCode?: string | null;
  /** An unfinished 3-D Secure challenge of this session. */
  challengeUrl?: string | null;
  /** In the SDK window: what its frame script tells the merchant page (a failed attempt). */
  embedState?: EmbedState;
  /** The payment method shown (one of the session's). */
  method: string;
  /** Wallet/BNPL: the phone was given, the form now asks for the code. */
  otpStep?: boolean;
}


function lineItem(view: CheckoutView, l: SessionRecord['lineItems'][number], t: Strings): SafeHtml {
  const { session, state } = view;
  const money = (n: number) => formatAmount(n, session.currency, session.locale);
  const aq = l.adjustableQuantity?.enabled ? l.adjustableQuantity : null;
  const name = `qty_${l.id}`;
  const qty = aq
    ? html`<div class="qty-form">${field(
        { name, label: html`${t.quantity}: <bdi>${l.product.name}</bdi>`, type: 'number', inputmode: 'numeric', min: aq.minimum, max: aq.maximum, required: true },
        { ...state, values: { [name]: state.values[name] ?? String(l.quantity) } },
        t,
      )}<button class="secondary" type="submit" formaction="${view.base}/quantity${view.query}" formnovalidate name="lineItem" value="${l.id}">${t.update}</button></div>`
    : html`<div class="item-meta">${t.qtyShort} ${l.quantity}</div>`;
  return html`<li><div><div class="item-name"><bdi>${l.product.name}</bdi></div>${l.product.description ? html`<div class="item-meta"><bdi>${l.product.description}</bdi></div>` : ''}<div class="item-meta">${money(l._unitAmount)} ${t.each}</div>${qty}</div><div class="item-total">${money(l.amountSubtotal)}</div></li>`;
}

function totals(session: SessionRecord, t: Strings): SafeHtml {
  const money = (n: number) => formatAmount(n, session.currency, session.locale);
  const d = session.totalDetails;
  return detailList([
    { label: t.subtotal, value: money(session.amountSubtotal) },
    d.amountDiscount > 0 && { label: t.discount, value: `−${money(d.amountDiscount)}` },
    d.amountPlatformFee > 0 && { label: t.fees, value: money(d.amountPlatformFee) },
    d.amountCollectedVat > 0 && { label: t.vat, value: money(d.amountCollectedVat) },
    { label: t.total, value: money(session.amountTotal), grand: true, testId: 'total' },
  ]);
}

function promo(view: CheckoutView, t: Strings): SafeHtml {
  if (!view.session.allowPromotionCodes) return html``;
  const action = `${view.base}/promo${view.query}`;
  if (view.appliedCode) {
    return html`<div class="inline promo"><span>${t.promoCode}: <strong><bdi>${view.appliedCode}</bdi></strong></span><button class="secondary" type="submit" formaction="${action}" formnovalidate name="remove" value="1">${t.remove}</button></div>`;
  }
  return html`<div class="inline promo">${field({ name: 'code', label: t.promoCode, autocomplete: 'off' }, view.state, t)}<button class="secondary" type="submit" formaction="${action}" formnovalidate>${t.apply}</button></div>`;
}

/** The order summary, one piece per line item (a session may hold 100). */
function* summary(view: CheckoutView, t: Strings): Generator<SafeHtml> {
  const s = view.session;
  yield html`<section class="card" aria-labelledby="summary-h">
<h1 id="summary-h"><bdi>${view.merchantName}</bdi></h1>
<p class="amount-big">${formatAmount(s.amountTotal, s.currency, s.locale)}</p>
<h2>${t.orderSummary}</h2>
<ul class="items">`;
  for (const l of s.lineItems) yield lineItem(view, l, t);
  yield html`</ul>
${promo(view, t)}
${totals(s, t)}
</section>`;
}

function* payForm(view: CheckoutView, t: Strings): Generator<SafeHtml> {
  const s = view.session;
  const st = view.state;
  const contact = html`<fieldset><legend>${t.contact}</legend>
${field({ name: 'email', label: t.email, type: 'email', autocomplete: 'email', required: !s.customerId }, st, t)}
${s.nameCollection ? field({ name: 'name', label: t.name, autocomplete: 'name', required: true }, st, t) : ''}
${s.phoneNumberCollection ? field({ name: 'phone', label: t.phone, type: 'tel', autocomplete: 'tel', required: true }, st, t) : ''}
</fieldset>`;
  const method = methodSection({
    methods: s.paymentMethodTypes,
    chosen: view.method,
    hrefFor: (m) => `${view.base}?method=${encodeURIComponent(m)}${view.query ? `&${view.query.slice(1)}` : ''}`,
    otpStep: view.otpStep ?? false,
    ...(s.feeConfig.feesPassThrough ? { feeFor: (m: string) => formatAmount(methodFeeEstimate(s, m), s.currency, s.locale) } : {}),
    state: st,
  }, t);
  yield html`<section class="card" aria-label="${t.pay}">
${view.notice ? html`<div class="notice" role="status">${view.notice}</div>` : ''}
${view.challengeUrl ? html`<div class="notice" role="status"><a href="${view.challengeUrl}">${t.finishChallenge}</a></div>` : ''}
${contact}
${s.billingAddressCollection ? addressFields('billing', t.billingAddress, st, t) : ''}
${s.shippingAddressCollection ? addressFields('shipping', t.shippingAddress, st, t) : ''}
`;
  yield* customFields(s.customFields, st, t);
  yield html`
${needsCard(s) ? method : ''}
<button class="pay" type="submit">${payLabel(s, view.method, view.otpStep ?? false)}</button>
${safeHref(s.cancelUrl) ? html`<a class="cancel" href="${safeHref(s.cancelUrl)}">${t.cancel}</a>` : ''}
</section>`;
}

/** Whether the session has anything to charge (a zero total completes without a card). */
export function needsCard(s: Pick<SessionRecord, 'amountTotal'>): boolean {
  return s.amountTotal > 0;
}

/** "Pay EGP 1,499.00" (or Book / Donate / Subscribe after the session's submitType); "Complete order" when nothing is due. */
export function payLabel(s: Pick<SessionRecord, 'amountTotal' | 'currency' | 'locale' | 'submitType'>, method = 'card', otpStep = false): string {
  const t = stringsFor(s.locale);
  if (!needsCard(s)) return t.completeOrder;
  const family = methodInfo(method)?.family;
  if (family === 'kiosk') return t.getReference;
  if (family === 'cod') return t.placeOrder;
  if ((family === 'wallet' || family === 'bnpl') && !otpStep) return t.sendCode;
  const verb = { PAY: t.pay, BOOK: t.book, DONATE: t.donate, SUBSCRIBE: t.subscribe }[s.submitType] ?? t.pay;
  return `${verb} ${formatAmount(s.amountTotal, s.currency, s.locale)}`;
}

/**
 * The error summary, first in the form so a phone shows it on the first screen: the page-wide
 * message (a decline), else links to each field in error. Announced (role="alert"); it takes
 * the focus itself only when no field does.
 */
function errorSummary(view: CheckoutView, t: Strings): SafeHtml {
  const fieldErrors = Object.entries(view.state.errors);
  if (!view.alert && fieldErrors.length === 0) return html``;
  const focusHere = !view.state.focus;
  const body = view.alert
    ? html`<p>${view.alert}</p>`
    : html`<p>${t.errorSummary}</p><ul>${fieldErrors.map(([name, message]) => html`<li><a href="#f-${name}">${message}</a></li>`)}</ul>`;
  return html`<div class="alert summary" role="alert" id="errors" tabindex="-1"${focusHere ? html` autofocus` : ''}>${body}</div>`;
}

function* checkoutForm(view: CheckoutView, t: Strings): Generator<SafeHtml> {
  yield html`<form class="layout" method="post" action="${view.base}${view.query}">
${errorSummary(view, t)}
`;
  yield* summary(view, t);
  yield html`\n`;
  yield* payForm(view, t);
  yield html`\n</form>`;
}

/** The checkout page as pieces, rendered as they are sent (send-page.ts). */
export function checkoutPage(view: CheckoutView): Iterable<SafeHtml> {
  const s = view.session;
  const t = stringsFor(s.locale);
  return shellParts({ title: `${t.title} – ${view.merchantName}`, locale: s.locale, merchantName: view.merchantName, testMode: view.testMode, embed: view.embed, primary: brandColour(s.brandingSettings), embedState: view.embedState }, checkoutForm(view, t));
}
