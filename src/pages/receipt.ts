// /receipts/{chargeId}: the shopper's receipt for a charge (charges' receiptUrl points here).
import type { Router } from 'express';
import { money as formatAmount } from './money.js';
import type { Simulator } from '../simulator.js';
import { renderSession, sessionsOf } from '../checkout/session-record.js';
import { html } from './html.js';
import { stringsFor } from './i18n.js';
import { brandColour, notFoundPage, shell } from './layout.js';
import { sendHtml } from './checkout-flow.js';
import { findChargeForPage } from './lookup.js';

export function mountReceiptRoutes(app: Router, sim: Simulator): void {
  app.get('/receipts/:ns/:id', (req, res) => {
    const found = findChargeForPage(sim, req.params.ns!, req.params.id!);
    // Only money that moved gets a receipt; failed and pending attempts have none.
    if (!found || !found.charge.paid) return sendHtml(res, 404, notFoundPage());
    const { ns, charge } = found;
    const session = charge._checkoutSessionId ? sessionsOf(ns).get(charge._checkoutSessionId) : undefined;
    const locale = session?.locale ?? 'en';
    const t = stringsFor(locale);
    const money = (n: number) => formatAmount(n, charge.currency, locale);
    const merchantName = session ? String(renderSession(sim, ns, session).merchantName ?? '') : '';
    const card = charge.paymentMethodDetails?.card;
    const body = html`<section class="card message receipt" aria-labelledby="r-h">
<h1 id="r-h">${t.receipt}</h1>
<p class="amount-big">${money(charge.amount)}</p>
<dl class="totals">
<dt>${t.amountPaid}</dt><dd>${money(charge.amountCaptured || charge.amount)}</dd>
${charge.amountRefunded > 0 ? html`<dt>${t.refunded}</dt><dd>−${money(charge.amountRefunded)}</dd>` : ''}
<dt>${t.date}</dt><dd><time datetime="${charge.createdAt}">${charge.createdAt.slice(0, 10)}</time></dd>
<dt>${t.paymentMethod}</dt><dd>${card ? `${card.brand} •••• ${card.last4}` : (charge.paymentMethodDetails?.type ?? '')}</dd>
<dt>${t.status}</dt><dd>${charge.status}</dd>
<dt>ID</dt><dd><code>${charge.id}</code></dd>
</dl>
${session ? html`<ul class="items">${session.lineItems.map((l) => html`<li><span class="item-name">${l.product.name} × ${l.quantity}</span><span class="item-total">${money(l.amountSubtotal)}</span></li>`)}</ul>` : ''}
</section>`;
    sendHtml(res, 200, shell({ title: `${t.receipt} – ${merchantName}`, locale, merchantName, testMode: !ns.livemode, primary: session ? brandColour(session.brandingSettings) : null }, body));
  });
}
