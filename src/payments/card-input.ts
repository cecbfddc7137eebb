// Checking a card as typed (number, expiry, CVC) before any charge exists, and the card's
// stable fingerprint. Validation failures are HTTP 400 card_error with Stripe-like codes.
import { createHmac } from 'node:crypto';
import { XPayError } from '../core/errors.js';
import type { Namespace } from '../store/namespace.js';
import { cardBehaviour, luhnValid, type MagicCard } from './magic-cards.js';
import type { CardDetails } from './types.js';

export interface CardInput {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
  name?: string | null;
}

export interface CheckedCard {
  number: string;
  expMonth: number;
  /** Always four digits. */
  expYear: number;
  name: string | null;
  magic: MagicCard;
}

const cardError = (code: string, message: string, param: string) => new XPayError(400, 'card_error', code, message, param);

/** Throws the first problem found, in the order number → month → year → CVC. */
export function checkCard(ns: Namespace, card: CardInput, param = 'card'): CheckedCard {
  const number = card.number.replace(/[\s-]/g, '');
  if (!/^\d{12,19}$/.test(number) || !luhnValid(number)) throw cardError('invalid_number', 'The card number is not a valid card number.', `${param}.number`);
  if (!Number.isInteger(card.expMonth) || card.expMonth < 1 || card.expMonth > 12) {
    throw cardError('invalid_expiry_month', "The card's expiration month must be between 1 and 12.", `${param}.expMonth`);
  }
  const now = new Date(ns.clock.now());
  const year = card.expYear >= 0 && card.expYear < 100 ? 2000 + card.expYear : card.expYear;
  const thisMonth = now.getUTCFullYear() * 12 + now.getUTCMonth();
  const expiry = year * 12 + (card.expMonth - 1);
  if (!Number.isInteger(year) || year < 1000 || year > 9999 || expiry < thisMonth || year > now.getUTCFullYear() + 50) {
    throw cardError('invalid_expiry_year', "The card's expiration date is in the past or not a valid year.", `${param}.expYear`);
  }
  const magic = cardBehaviour(number);
  const cvcLength = magic.brand === 'amex' ? 4 : 3;
  if (!new RegExp(`^\\d{${cvcLength}}$`).test(card.cvc)) {
    throw cardError('invalid_cvc', `The card's security code must be ${cvcLength} digits.`, `${param}.cvc`);
  }
  return { number, expMonth: card.expMonth, expYear: year, name: card.name?.trim() || null, magic };
}

/** "MM/YY" or "MM/YYYY" → month and year; undefined when it does not look like an expiry. */
export function parseExpiry(exp: string): { expMonth: number; expYear: number } | undefined {
  const m = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(exp);
  if (!m) return undefined;
  return { expMonth: Number(m[1]), expYear: Number(m[2]) };
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Same number → same fingerprint within a namespace; different namespaces (keys) never share
 * one. The secret derives from the namespace's seed-derived merchant id and its key, so it
 * survives snapshots and restarts without stored state.
 */
export function cardFingerprint(ns: Namespace, number: string): string {
  const digest = createHmac('sha256', `card-fingerprint\u0000${ns.merchantId}\u0000${ns.key}`).update(number).digest();
  let out = '';
  for (let i = 0; i < 16; i++) out += BASE62[digest[i]! % 62];
  return out;
}

/** The charge's card object for a checked card. */
export function cardDetails(ns: Namespace, card: CheckedCard): CardDetails {
  return {
    brand: card.magic.brand,
    country: card.magic.country,
    expMonth: card.expMonth,
    expYear: card.expYear,
    funding: card.magic.funding,
    last4: card.number.slice(-4),
    network: null,
    fingerprint: cardFingerprint(ns, card.number),
    threeDSecure: null,
    wallet: null,
    _cardholderName: card.name,
  };
}
