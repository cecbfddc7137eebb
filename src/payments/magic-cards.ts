// The magic card table: the one place that decides what a test card number does (succeed,
// decline with which codes, ask for 3-D Secure, fail later refunds). Served by GET /_sim/magic.
import type { PaymentError } from './types.js';

export type MagicOutcome = 'succeeded' | 'declined' | 'three_d_secure' | 'three_d_secure_fails';

export interface MagicDecline extends PaymentError {}

export interface MagicCard {
  number: string;
  brand: string;
  funding: 'credit' | 'debit' | 'prepaid';
  country: string;
  outcome: MagicOutcome;
  description: string;
  /** Set for `declined`: what the issuer answers. */
  decline: MagicDecline | null;
  /** Carried on the charge for later operations (refunds read `refund_fails`). */
  behaviour: 'refund_fails' | null;
}

const decline = (
  code: string,
  declineCode: string | null,
  networkDeclineCode: string | null,
  adviceCode: PaymentError['adviceCode'],
  message: string,
  merchantMessage: string,
): MagicDecline => ({ type: 'card_error', code, declineCode, networkDeclineCode, adviceCode, message, merchantMessage });

const ok = (number: string, brand: string, funding: MagicCard['funding'], description: string, behaviour: MagicCard['behaviour'] = null): MagicCard => ({
  number, brand, funding, country: 'EG', outcome: 'succeeded', description, decline: null, behaviour,
});

const declined = (number: string, description: string, d: MagicDecline): MagicCard => ({
  number, brand: 'visa', funding: 'credit', country: 'EG', outcome: 'declined', description, decline: d, behaviour: null,
});

/** Every magic number, in the order the docs list them. Numbers are digits only, Luhn-valid. */
export const MAGIC_CARDS: readonly MagicCard[] = [
  ok('5123450000000008', 'mastercard', 'credit', "XPay's documented test card (expiry 01/39, CVC 100): the payment succeeds."),
  ok('4242424242424242', 'visa', 'credit', 'Visa: the payment succeeds.'),
  ok('5078030000000003', 'meeza', 'debit', 'Meeza debit: the payment succeeds.'),
  ok('4000000000005126', 'visa', 'credit', 'The payment succeeds, but every later refund of the charge fails.', 'refund_fails'),
  declined('4000000000000002', 'Declined by the issuer without a reason (generic decline).',
    decline('card_declined', 'generic_decline', '05', null, 'Your card was declined.', 'Declined by the issuer (generic decline). The customer should contact their bank or use another card.')),
  declined('4000000000009995', 'Declined for insufficient funds.',
    decline('card_declined', 'insufficient_funds', '51', 'try_again_later', 'Your card has insufficient funds.', 'Declined: insufficient funds. The customer should use another payment method or try later.')),
  declined('4000000000009987', 'Declined: the card was reported lost.',
    decline('card_declined', 'lost_card', '41', 'do_not_try_again', 'Your card was declined.', 'Declined: the card was reported lost. Do not retry this card.')),
  declined('4000000000009979', 'Declined: the card was reported stolen.',
    decline('card_declined', 'stolen_card', '43', 'do_not_try_again', 'Your card was declined.', 'Declined: the card was reported stolen. Do not retry this card.')),
  declined('4000000000000069', 'Declined by the issuer as expired (whatever expiry date is entered).',
    decline('expired_card', 'expired_card', '54', 'confirm_card_data', 'Your card has expired.', 'Declined: the issuer reports the card as expired.')),
  declined('4000000000000127', 'Declined: the CVC does not match (whatever CVC is entered).',
    decline('incorrect_cvc', 'incorrect_cvc', 'N7', 'confirm_card_data', "Your card's security code is incorrect.", 'Declined: the CVC did not match. The customer should check the card details.')),
  declined('4000000000000119', 'Fails with a processing error at the network.',
    decline('processing_error', 'processing_error', '96', 'try_again_later', 'An error occurred while processing your card. Try again in a little while.', 'The card network could not process the payment. Retrying later may succeed.')),
  {
    number: '4000000000003220', brand: 'visa', funding: 'credit', country: 'EG', outcome: 'three_d_secure',
    description: 'Asks for 3-D Secure; the challenge page (or POST /_sim/checkout/sessions/{id}/3ds) decides pass or fail.', decline: null, behaviour: null,
  },
  {
    number: '4000000000003246', brand: 'visa', funding: 'credit', country: 'EG', outcome: 'three_d_secure_fails',
    description: 'Asks for 3-D Secure, and authentication always fails.', decline: null, behaviour: null,
  },
];

/** The error of a failed 3-D Secure challenge. */
export const THREE_D_SECURE_FAILED: PaymentError = decline(
  'authentication_required', null, null, null,
  'Your card could not be authenticated. Try again or use another card.',
  'Declined: 3-D Secure authentication failed or was abandoned.',
);

const BY_NUMBER = new Map(MAGIC_CARDS.map((c) => [c.number, c]));

export function magicCard(number: string): MagicCard | undefined {
  return BY_NUMBER.get(number);
}

/** Brand by BIN, for numbers outside the table. Meeza BINs are checked before Mastercard's. */
export function brandOf(number: string): string {
  if (/^50780[3-9]|^50781/.test(number)) return 'meeza';
  if (/^4/.test(number)) return 'visa';
  if (/^5[1-5]/.test(number) || /^2(2[2-9]|[3-6]\d|7[01]|720)/.test(number)) return 'mastercard';
  if (/^3[47]/.test(number)) return 'amex';
  return 'unknown';
}

/** What any number does: its table row, or success with the brand from its BIN. */
export function cardBehaviour(number: string): MagicCard {
  const row = magicCard(number);
  if (row) return row;
  const brand = brandOf(number);
  return { number, brand, funding: brand === 'meeza' ? 'debit' : 'credit', country: 'EG', outcome: 'succeeded', description: 'Not in the table: succeeds.', decline: null, behaviour: null };
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** The table as GET /_sim/magic serves it. */
export function magicTable(): Record<string, unknown> {
  return {
    object: 'list',
    data: MAGIC_CARDS.map((c) => ({ ...c, decline: c.decline ? { ...c.decline } : null })),
    otherNumbers: 'Any other Luhn-valid number of 12 to 19 digits succeeds; its brand comes from the BIN (4 visa, 51-55/2221-2720 mastercard, 507803-507819 meeza, 34/37 amex).',
    validation: [
      { param: 'card.number', code: 'invalid_number', rule: 'Digits only once spaces and dashes are removed, 12 to 19 long, Luhn-valid.' },
      { param: 'card.expMonth', code: 'invalid_expiry_month', rule: '1 to 12.' },
      { param: 'card.expYear', code: 'invalid_expiry_year', rule: 'Two or four digits; the expiry month must not be before the current month of the namespace clock, nor more than 50 years ahead.' },
      { param: 'card.cvc', code: 'invalid_cvc', rule: '3 digits (4 for amex).' },
    ],
  };
}
