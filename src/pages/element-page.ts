// /c/{ns}/{id}/element?embed=true: the card fields of the SDK's Payment Element, alone in a frame
// on the simulator's origin, so card data never touches the merchant page. The frame script
// (src/sdk/frame) confirms through POST /_sdk/checkout-session/confirm, the same pay service the
// hosted page uses.
import type { Router } from 'express';
import type { Simulator } from '../simulator.js';
import { html } from './html.js';
import { stringsFor, type Strings } from './i18n.js';
import { brandColour, notFoundPage, shell } from './layout.js';
import { emptyState } from './form-fields.js';
import { cardInputs } from './method-fields.js';
import { sendHtml } from './send-page.js';
import { MERCHANT_DISPLAY_NAME } from '../core/merchant.js';
import { openContext } from './checkout-routes.js';

/**
 * The words the frame script shows the shopper, in the page's locale: the script itself carries no
 * language, so it picks these by the field or error code (never the API's English message).
 */
function frameMessages(t: Strings) {
  return {
    fields: { 'card.number': t.serviceErrors.invalid_number, 'card.exp': t.badExp, 'card.cvc': t.serviceErrors.invalid_cvc, 'card.name': t.required },
    cardDeclines: t.cardDeclines,
    codes: { invalid_number: t.serviceErrors.invalid_number, incorrect_number: t.serviceErrors.incorrect_number, invalid_expiry_month: t.serviceErrors.invalid_expiry_month, invalid_expiry_year: t.serviceErrors.invalid_expiry_year, invalid_cvc: t.serviceErrors.invalid_cvc },
    generic: t.serviceErrors.generic,
  };
}

export function mountElementRoutes(app: Router, sim: Simulator): void {
  app.get('/c/:ns/:id/element', (req, res) => {
    const ctx = openContext(sim, req, res, req.params.ns!, req.params.id!);
    if (!ctx) return;
    // Only sessions made for the merchant's page have a card element (a hosted one is never framed).
    if (ctx.session.uiMode === 'hosted' || !ctx.embed) return sendHtml(res, 404, notFoundPage(ctx.session.locale));
    const locale = ctx.locale ?? ctx.session.locale;
    const t = stringsFor(locale);
    const body = html`<form class="element" novalidate aria-label="${t.payment}" data-messages="${JSON.stringify(frameMessages(t))}">
<fieldset><legend>${t.payment}</legend>
${cardInputs(emptyState(), t)}
</fieldset>
<div class="alert" role="alert" id="element-error" hidden></div>
</form>`;
    sendHtml(res, 200, shell({
      title: t.payment, locale, merchantName: MERCHANT_DISPLAY_NAME, testMode: !ctx.ns.livemode, embed: true,
      primary: brandColour(ctx.session.brandingSettings), embedState: { state: 'element' },
    }, body));
  });
}
