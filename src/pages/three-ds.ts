// /3ds/{sessionId}/{chargeId}: the simulated 3-D Secure challenge. "Complete" passes and
// "Fail" fails the authentication through the pay service's resolveThreeDSecure.
import type { Router } from 'express';
import { XPayError } from '../core/errors.js';
import { money as formatAmount } from './money.js';
import type { Simulator } from '../simulator.js';
import { resolveThreeDSecure } from '../payments/pay.js';
import { findCharge } from '../payments/charges.js';
import { html } from './html.js';
import { stringsFor } from './i18n.js';
import { brandColour, shell } from './layout.js';
import { frameQuery, sendOutcome } from './checkout-flow.js';
import { sendHtml } from './send-page.js';
import { MERCHANT_DISPLAY_NAME } from '../core/merchant.js';
import { openContext } from './checkout-routes.js';
import { refuseForeignOrigin } from './security.js';
import { pagePaths } from '../control/page-urls.js';
import { methodLabel } from './end-states.js';

export function mountThreeDsRoutes(app: Router, sim: Simulator): void {
  app.get('/3ds/:ns/:sid/:cid', (req, res) => {
    const ctx = openContext(sim, req, res, req.params.ns!, req.params.sid!);
    if (!ctx) return;
    const charge = findCharge(ctx.ns, req.params.cid!);
    if (!charge || charge._checkoutSessionId !== ctx.session.id || charge.status !== 'PENDING') {
      res.redirect(303, pagePaths.checkout(sim, ctx.ns, ctx.session.id) + frameQuery(ctx));
      return;
    }
    const s = ctx.session;
    const locale = ctx.locale ?? s.locale;
    const t = stringsFor(locale);
    const action = pagePaths.threeDs(sim, ctx.ns, s.id, charge.id) + frameQuery(ctx);
    const body = html`<section class="card message" aria-labelledby="tds-h">
<h1 id="tds-h">${t.threeDsTitle}</h1>
<p>${t.threeDsBody}</p>
<p class="amount-big">${formatAmount(charge.amount, charge.currency, locale)}</p>
${charge.paymentMethodDetails?.card ? html`<p class="item-meta">${methodLabel(charge, t)}</p>` : ''}
<div class="actions">
<form method="post" action="${action}"><button type="submit" name="result" value="complete">${t.threeDsComplete}</button></form>
<form method="post" action="${action}"><button class="danger" type="submit" name="result" value="fail">${t.threeDsFail}</button></form>
</div>
</section>`;
    sendHtml(res, 200, shell({ title: t.threeDsTitle, locale, merchantName: MERCHANT_DISPLAY_NAME, testMode: !ctx.ns.livemode, primary: brandColour(s.brandingSettings), embed: ctx.embed, embedState: { state: 'challenge' } }, body));
  });

  app.post('/3ds/:ns/:sid/:cid', (req, res) => {
    if (refuseForeignOrigin(sim, req, res)) return;
    const ctx = openContext(sim, req, res, req.params.ns!, req.params.sid!);
    if (!ctx) return;
    const passed = (req.body as Record<string, unknown> | undefined)?.result === 'complete';
    try {
      sendOutcome(res, ctx, resolveThreeDSecure(sim, ctx.ns, ctx.session.id, req.params.cid!, passed));
    } catch (e) {
      // Already decided or not a challenge of this session: the checkout page shows where things stand.
      if (!(e instanceof XPayError)) throw e;
      res.redirect(303, pagePaths.checkout(sim, ctx.ns, ctx.session.id) + frameQuery(ctx));
    }
  });
}
