// What a shopper reads when a payment or a form step is refused: always the catalogue's words in
// the page's locale, chosen by the error's code (never by its English message), so an Arabic page
// never shows the API's English.
import type { PaymentError } from '../payments/types.js';
import { fill, type Strings } from './i18n.js';

type Keyed<T> = Record<string, string> & T;

/** A declined payment: by its declineCode, else its code; cards and the other methods have their own words. */
export function declineMessage(e: Pick<PaymentError, 'type' | 'code' | 'declineCode'>, t: Strings): string {
  const key = e.declineCode ?? e.code ?? '';
  if (e.type === 'card_error') {
    const words = t.cardDeclines as Keyed<Strings['cardDeclines']>;
    return words[key] ?? words[e.code ?? ''] ?? t.cardDeclines.card_declined;
  }
  const words = t.methodDeclines as Keyed<Strings['methodDeclines']>;
  return words[key] ?? t.methodDeclines.payment_declined;
}

export interface RefusalContext {
  /** The form field the error belongs to (see fieldOfError), if any. */
  field: string | null;
  /** Values a message names: the promotion code typed, a quantity's bounds. */
  params?: Record<string, string | number>;
}

/** A refusal of the pay service or a session action (XPayError code + the field it concerns). */
export function refusalMessage(code: string, ctx: RefusalContext, t: Strings): string {
  const own = (t.serviceErrors as Keyed<Strings['serviceErrors']>)[code];
  if (own) return fill(own, ctx.params ?? {});
  const field = ctx.field;
  if (field === null) return t.serviceErrors.generic;
  if (code === 'parameter_missing') return t.required;
  if (field === 'email') return t.badEmail;
  if (field === 'phone' || field === 'methodPhone') return t.badPhone;
  if (field === 'otp') return t.badOtp;
  if (field === 'cardExp') return t.badExp;
  if (field.startsWith('qty_')) return t.badNumber;
  return t.checkField;
}
