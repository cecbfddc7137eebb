// The page of a session completed with its money still to come: the kiosk reference or transfer
// instructions with their expiry, or the cash-on-delivery note; and what the shopper sees once
// such a payment failed or expired.
import { html } from './html.js';
import { fill, type Strings } from './i18n.js';
import { detailList } from './detail-list.js';
import type { PaymentIntentRecord } from '../payments/types.js';
import { dateTime, money as formatAmount } from './money.js';

interface Voucher {
  provider: string;
  reference: string;
  expiresAt: string | null;
  instructions: string | null;
}

function instructionsFor(v: Voucher, t: Strings): string {
  const own = t.voucherInstructions[v.provider as keyof Strings['voucherInstructions']];
  return own ? fill(own, { reference: v.reference }) : (v.instructions ?? '');
}

/** Heading, sentence and details for a complete + unpaid session. */
export function pendingPaymentBody(pi: PaymentIntentRecord | undefined, t: Strings, locale: string, heading: string, link: { href: string; label: string } | null) {
  const onward = link ? html`<p><a class="button" href="${link.href}">${link.label}</a></p>` : html``;
  const voucher = (pi?.nextAction as { displayVoucherDetails?: Voucher | null } | null)?.displayVoucherDetails ?? null;
  const failed = pi?.status === 'FAILED';
  if (failed) return html`<section class="card message"><h1>${t.paymentFailed}</h1><p role="alert">${t.paymentFailedBody}</p>${onward}</section>`;
  if (!voucher) return html`<section class="card message"><h1>${heading}</h1><p>${t.codPendingBody}</p>${onward}</section>`;
  const amount = pi ? formatAmount(pi.amount, pi.currency, locale) : '';
  return html`<section class="card message" aria-labelledby="ref-h">
<h1 id="ref-h">${t.awaitingPayment}</h1>
<p class="amount-big">${amount}</p>
${detailList([
  { label: t.referenceLabel, value: html`<strong data-testid="reference" dir="ltr">${voucher.reference}</strong>` },
  !!voucher.expiresAt && { label: t.payBy, value: html`<time datetime="${voucher.expiresAt}">${dateTime(voucher.expiresAt, locale)} ${t.utc}</time>` },
])}
<p>${instructionsFor(voucher, t)}</p>
${onward}
</section>`;
}
