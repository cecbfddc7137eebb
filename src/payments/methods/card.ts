// The card family: cards typed on the page or sent to /_sim (magic numbers decide the outcome),
// Apple Pay / Google Pay / Samsung Pay (a card with `wallet` details, authenticated on the device
// so never challenged) and the 3-D Secure challenge's result on the charge.
import { errors } from '../../core/errors.js';
import { cardDetails, checkCard } from '../card-input.js';
import { CHALLENGE, CHALLENGE_FAILS } from '../challenges.js';
import type { ChargeRecord } from '../types.js';
import type { MethodFamily, PreparedAttempt } from './family.js';

const DEVICE_WALLETS = ['apple_pay', 'google_pay', 'samsung_pay'];

const PENDING_THREE_D_SECURE = { authenticationFlow: 'challenge', electronicCommerceIndicator: null, exemptionIndicator: null, result: null, resultReason: null, transactionId: null, version: '2.2.0' };

export const cardFamily: MethodFamily = {
  name: 'card',
  types: ['card', ...DEVICE_WALLETS],
  prepare(ns, { input, type }): PreparedAttempt {
    if (!input.card) throw errors.missing('card');
    const card = checkCard(ns, typeof input.card === 'function' ? input.card() : input.card);
    const device = type !== 'card';
    const plain = cardDetails(ns, card);
    // @assumption the device account number's last four are the card's own (XPay shows no example).
    const details = device ? { ...plain, wallet: { type, dynamicLast4: plain.last4 } } : plain;
    const magic = card.magic;
    const threeDS = !device && (magic.outcome === 'three_d_secure' || magic.outcome === 'three_d_secure_fails');
    if (threeDS) {
      return {
        paymentMethodType: type,
        card: { ...details, threeDSecure: { ...PENDING_THREE_D_SECURE } },
        nameOnMethod: card.name,
        behaviour: magic.outcome === 'three_d_secure' ? CHALLENGE : CHALLENGE_FAILS,
        decision: { kind: 'challenge' },
      };
    }
    return {
      paymentMethodType: type,
      card: details,
      nameOnMethod: card.name,
      behaviour: magic.behaviour,
      decision: magic.outcome === 'declined' ? { kind: 'decline', error: magic.decline! } : { kind: 'approve' },
    };
  },
};

/** The challenged charge with its 3-D Secure result, no longer waiting. */
export function challengeResult(charge: ChargeRecord, ok: boolean): ChargeRecord {
  const card = charge.paymentMethodDetails!.card!;
  return {
    ...charge,
    _behaviour: null,
    paymentMethodDetails: {
      ...charge.paymentMethodDetails!,
      card: {
        ...card,
        threeDSecure: {
          ...card.threeDSecure,
          result: ok ? 'authenticated' : 'failed',
          resultReason: ok ? null : 'rejected',
          // Visa/Mastercard ECI for a fully authenticated challenge vs a failed one.
          electronicCommerceIndicator: ok ? '05' : '07',
          transactionId: `3ds_${charge.id.slice(charge.id.lastIndexOf('_') + 1)}`,
        },
      },
    },
  };
}
