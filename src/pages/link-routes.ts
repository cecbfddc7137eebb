// /p/{linkId}: the payment link page. The shopper picks quantities (where the link allows) and
// answers custom fields; continuing creates a checkout session from the link and opens /c/{id}.
import type { Response, Router } from 'express';
import { XPayError } from '../core/errors.js';
import type { Simulator } from '../simulator.js';
import type { PaymentLinkRecord } from '../resources/payment-links.js';
import { html } from './html.js';
import { stringsFor, type Strings } from './i18n.js';
import { customFields, emptyState, field, type FormState } from './form-fields.js';
import { formValues, refill } from './form-input.js';
import { brandColour, messagePage, notFoundPage, shell } from './layout.js';
import { money } from './money.js';
import { sendHtml } from './checkout-flow.js';
import { rememberPrefill } from './form-prefill.js';
import { findLinkForPage } from './lookup.js';
import { refuseForeignOrigin } from './security.js';
import { pagePaths } from '../control/page-urls.js';
import { createSessionFromPaymentLink } from './link-session.js';

/** The simulated merchant's display name (as GET /account and sessions' merchantName give it). */
const MERCHANT_NAME = 'xpay-sim Demo Store';

function linkPage(action: string, link: PaymentLinkRecord, testMode: boolean, state: FormState, alert: string | null): string {
  const t = stringsFor('en');
  const quantityOf = (l: PaymentLinkRecord['lineItems'][number]) => {
    const typed = Number(state.values[`qty_${l.id}`]);
    return l.adjustableQuantity?.enabled && Number.isSafeInteger(typed) && typed > 0 ? typed : l.quantity;
  };
  const total = link.lineItems.reduce((a, l) => a + l._unitAmount * quantityOf(l), 0);
  const items = link.lineItems.map((l) => {
    const aq = l.adjustableQuantity?.enabled ? l.adjustableQuantity : null;
    const name = `qty_${l.id}`;
    const qty = aq
      ? html`<div class="qty-form">${field({ name, label: html`${t.quantity}: <bdi>${l.product.name}</bdi>`, type: 'number', inputmode: 'numeric', min: aq.minimum, max: aq.maximum, required: true }, { values: { [name]: state.values[name] ?? String(l.quantity) }, errors: state.errors }, t)}</div>`
      : html`<div class="item-meta">${t.qtyShort} ${l.quantity}</div>`;
    return html`<li><div><div class="item-name"><bdi>${l.product.name}</bdi></div>${l.product.description ? html`<div class="item-meta"><bdi>${l.product.description}</bdi></div>` : ''}<div class="item-meta">${money(l._unitAmount, link.currency)} ${t.each}</div>${qty}</div><div class="item-total">${money(l._unitAmount * quantityOf(l), link.currency)}</div></li>`;
  });
  const body = html`<form method="post" action="${action}"><section class="card" style="max-width:560px;margin:0 auto" aria-labelledby="link-h">
<h1 id="link-h"><bdi>${MERCHANT_NAME}</bdi></h1>
<p class="amount-big">${money(total, link.currency)}</p>
${alert ? html`<div class="alert" role="alert">${alert}</div>` : ''}
<ul class="items">${items}</ul>
${customFields(link.customFields, state, t)}
<button class="pay" type="submit">${t.continue}</button>
</section></form>`;
  return shell({ title: `${t.title} – ${MERCHANT_NAME}`, merchantName: MERCHANT_NAME, testMode, primary: brandColour(link.brandingSettings) }, body);
}

/** Inactive or expired links get a page that says so instead of a form. */
function sendClosedLink(res: Response, link: PaymentLinkRecord, nowMs: number, t: Strings): boolean {
  const expired = link.expiresAt !== null && Date.parse(link.expiresAt) <= nowMs;
  if (link.active && !expired) return false;
  const heading = link.active ? t.linkExpired : t.linkInactive;
  sendHtml(res, 410, messagePage({ title: heading, heading, text: t.expiredBody, merchantName: MERCHANT_NAME }));
  return true;
}

export function mountLinkRoutes(app: Router, sim: Simulator): void {
  const t = stringsFor('en');
  app.get('/p/:ns/:id', (req, res) => {
    const found = findLinkForPage(sim, req.params.ns!, req.params.id!);
    if (!found) return sendHtml(res, 404, notFoundPage());
    const link = found.link as unknown as PaymentLinkRecord;
    if (sendClosedLink(res, link, found.ns.clock.now(), t)) return;
    sendHtml(res, 200, linkPage(pagePaths.paymentLink(sim, found.ns, link.id), link, !found.ns.livemode, emptyState(), null));
  });

  app.post('/p/:ns/:id', (req, res) => {
    if (refuseForeignOrigin(sim, req, res)) return;
    const found = findLinkForPage(sim, req.params.ns!, req.params.id!);
    if (!found) return sendHtml(res, 404, notFoundPage());
    const link = found.link as unknown as PaymentLinkRecord;
    if (sendClosedLink(res, link, found.ns.clock.now(), t)) return;
    const values = formValues(req.body);
    const state: FormState = { values: refill(values), errors: {} };
    const quantities: Record<string, number> = {};
    for (const l of link.lineItems) {
      const raw = values[`qty_${l.id}`];
      if (!l.adjustableQuantity?.enabled || raw === undefined) continue;
      if (!/^\d+$/.test(raw.trim())) state.errors[`qty_${l.id}`] = t.badNumber;
      else quantities[l.id] = Number(raw);
    }
    for (const f of link.customFields) if (!f.isOptional && !values[`custom_${f.key}`]?.trim()) state.errors[`custom_${f.key}`] = t.required;
    if (Object.keys(state.errors).length > 0) return sendHtml(res, 400, linkPage(pagePaths.paymentLink(sim, found.ns, link.id), link, !found.ns.livemode, state, null));
    try {
      const session = createSessionFromPaymentLink(sim, found.ns, link, { quantities });
      const answers = Object.fromEntries(link.customFields.map((f) => [`custom_${f.key}`, values[`custom_${f.key}`] ?? '']).filter(([, v]) => v !== ''));
      rememberPrefill(found.ns, session.id, answers);
      res.redirect(303, pagePaths.checkout(sim, found.ns, session.id));
    } catch (e) {
      if (!(e instanceof XPayError)) throw e;
      // Errors name the line by index (lineItems[1].quantity): put them next to that line's input.
      const line = /^lineItems\[(\d+)\]\.quantity/.exec(e.param ?? '');
      const item = line ? link.lineItems[Number(line[1])] : undefined;
      if (item?.adjustableQuantity?.enabled) sendHtml(res, 400, linkPage(pagePaths.paymentLink(sim, found.ns, link.id), link, !found.ns.livemode, { ...state, errors: { [`qty_${item.id}`]: e.message } }, null));
      else sendHtml(res, e.status === 404 ? 400 : e.status, linkPage(pagePaths.paymentLink(sim, found.ns, link.id), link, !found.ns.livemode, state, e.message));
    }
  });
}
