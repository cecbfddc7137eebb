// Magic values for payments without a card: the payer's phone number (and the OTP typed) decide
// what a mobile wallet, a BNPL provider, a kiosk reference or cash on delivery does, as magic
// card numbers do for cards. GET /_sim/magic lists them; the README has the same table.
import { normalizePhone } from '../core/contact.js';
import type { PaymentError } from './types.js';

/** The one-time code every wallet and BNPL step accepts; any other code is wrong. */
export const MAGIC_OTP = '123456';

export type PhoneOutcome =
  | 'approve'
  | 'unknown_account'
  | 'insufficient_balance'
  | 'timeout'
  | 'refused'
  | 'paid_later'
  | 'fails_later';

export interface MagicPhone {
  phone: string;
  outcome: PhoneOutcome;
  families: string[];
  description: string;
}

export const MAGIC_PHONES: readonly MagicPhone[] = [
  { phone: '+201000000000', outcome: 'approve', families: ['wallet', 'bnpl'], description: 'Approved once the OTP 123456 is entered (any phone not listed here does the same).' },
  { phone: '+201000000001', outcome: 'unknown_account', families: ['wallet', 'bnpl'], description: 'No wallet or BNPL account is registered to this number: declined.' },
  { phone: '+201000000002', outcome: 'insufficient_balance', families: ['wallet', 'bnpl'], description: 'The wallet balance (or BNPL credit limit) is too low: declined.' },
  { phone: '+201000000003', outcome: 'timeout', families: ['wallet', 'bnpl'], description: 'The shopper never confirms on their phone: declined as timed out.' },
  { phone: '+201000000004', outcome: 'refused', families: ['bnpl'], description: 'The BNPL provider refuses the application: declined.' },
  { phone: '+201000000010', outcome: 'paid_later', families: ['kiosk', 'cod'], description: 'The reference is paid (cash collected) 30 minutes after it is issued, by the namespace clock.' },
  { phone: '+201000000011', outcome: 'fails_later', families: ['kiosk', 'cod'], description: 'The payment fails (delivery refused) 30 minutes after the reference is issued.' },
];

/** How long a sent wallet/BNPL code stays valid on the hosted page, by the namespace clock. */
export const OTP_WINDOW_MS = 5 * 60_000;

/** How long a `paid_later` / `fails_later` payment takes. */
export const MAGIC_SETTLE_AFTER_MS = 30 * 60_000;

const BY_PHONE = new Map(MAGIC_PHONES.map((p) => [p.phone, p]));

/** The outcome a phone asks for in a family; anything else approves (or waits, for async methods). */
export function phoneOutcome(phone: string | null, family: string): PhoneOutcome | null {
  const row = phone ? BY_PHONE.get(normalizePhone(phone)) : undefined;
  return row && row.families.includes(family) ? row.outcome : null;
}

const declined = (code: string, adviceCode: PaymentError['adviceCode'], message: string, merchantMessage: string): PaymentError => ({
  type: 'payment_method_error', code, declineCode: code, networkDeclineCode: null, adviceCode, message, merchantMessage,
});

export const PHONE_DECLINES: Record<'unknown_account' | 'insufficient_balance' | 'timeout' | 'refused' | 'incorrect_otp', PaymentError> = {
  unknown_account: declined('account_not_found', 'do_not_try_again', 'No account is registered to this phone number.', 'Declined: the phone number has no account with this provider.'),
  insufficient_balance: declined('insufficient_funds', 'try_again_later', 'Your balance is not enough for this payment.', 'Declined: insufficient wallet balance or credit limit.'),
  timeout: declined('authentication_timeout', 'try_again_later', 'The payment was not confirmed in time.', 'Declined: the shopper did not confirm the payment in time.'),
  refused: declined('application_refused', 'do_not_try_again', 'The provider did not approve this purchase.', 'Declined: the BNPL provider refused the application.'),
  incorrect_otp: declined('incorrect_otp', 'confirm_card_data', 'The verification code is incorrect.', 'Declined: the shopper entered a wrong one-time code.'),
};

/** A kiosk reference nobody paid in time, and a pay-later payment the provider reports failed. */
export const ASYNC_EXPIRED: PaymentError = declined('payment_expired', null, 'The payment reference expired before it was paid.', 'The reference expired unpaid.');
export const ASYNC_FAILED: PaymentError = declined('payment_failed', null, 'The payment could not be completed.', 'The provider reported the payment failed.');
export const COD_REFUSED: PaymentError = declined('delivery_refused', null, 'The order was refused on delivery.', 'Cash on delivery: the shopper refused the order; no cash was collected.');

export function magicPhoneTable(): Record<string, unknown> {
  return { otp: MAGIC_OTP, phones: MAGIC_PHONES.map((p) => ({ ...p, families: [...p.families] })), settleAfterMinutes: MAGIC_SETTLE_AFTER_MS / 60_000, otpWindowMinutes: OTP_WINDOW_MS / 60_000 };
}
