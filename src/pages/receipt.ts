// /receipts/{chargeId}: the shopper's receipt for a charge (charges' receiptUrl points here).
import type { Router } from 'express';
import { longDate, money as formatAmount } from './money.js';
import { detailList } from './detail-list.js';
import { methodLabel } from './end-states.js';
import type { Simulator } from '../simulator.js';
import { sessionsOf } from '../checkout/session-record.js';
import { MERCHANT_DISPLAY_NAME } from '../core/merchant.js';
import { html } from './html.js';
import { browserLocale, stringsFor, type Strings } from './i18n.js';
import { brandColour, notFoundPage, shell } from './layout.js';
import { sendHtml } from './send-page.js';
import { findChargeForPage } from './lookup.js';

export function mountReceiptRoutes(app: Router, sim: Simulator): void {
  app.get('/receipts/:ns/:id', (req, res) => {
    const found = findChargeForPage(sim, req.params.ns!, req.params.id!);
    // Only money that moved gets a receipt; failed and pending attempts have none.
    if (!found || !found.charge.paid) return sendHtml(res, 404, notFoundPage(browserLocale(req)));
    const { ns, charge } = found;
    const session = charge._checkoutSessionId ? sessionsOf(ns).get(charge._checkoutSessionId) : undefined;
    const locale = session?.locale ?? 'en';
    const t = stringsFor(locale);
    const money = (n: number) => formatAmount(n, charge.currency, locale);
    // Receipts of charges made without a session name the merchant too.
    const merchantName = MERCHANT_DISPLAY_NAME;
    const status = t.chargeStatuses[charge.status as keyof Strings['chargeStatuses']] ?? t.chargeStatuses.SUCCEEDED;
    const body = html`<section class="card message receipt" aria-labelledby="r-h">
<h1 id="r-h">${t.receipt}</h1>
<p class="amount-big">${money(charge.amount)}</p>
${detailList([
  { label: t.amountPaid, value: money(charge.amountCaptured || charge.amount) },
  charge.amountRefunded > 0 && { label: t.refunded, value: `−${money(charge.amountRefunded)}` },
  { label: t.date, value: html`<time datetime="${charge.createdAt}">${longDate(charge.createdAt, locale)}</time>` },
  { label: t.paymentMethod, value: methodLabel(charge, t) },
  { label: t.status, value: status, testId: 'status' },
  { label: t.receiptNumber, value: html`<bdi>${charge.id}</bdi>` },
])}
${session ? html`<ul class="items">${session.lineItems.map((l) => html`<li><span class="item-name"><bdi>${l.product.name}</bdi> × ${l.quantity}</span><span class="item-total">${money(l.amountSubtotal)}</span></li>`)}</ul>` : ''}
</section>`;
    sendHtml(res, 200, shell({ title: `${t.receipt} – ${merchantName}`, locale, merchantName, testMode: !ns.livemode, primary: session ? brandColour(session.brandingSettings) : null }, body));
  });
}
