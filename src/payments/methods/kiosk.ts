// The kiosk family: Fawry and Aman (a reference paid in cash at an outlet), InstaPay and bank
// transfer (instructions to send money). Paying issues a reference with an expiry on the
// namespace clock; the money arrives later (control call, magic phone, or never: it expires).
import type { Namespace } from '../../store/namespace.js';
import { MAGIC_SETTLE_AFTER_MS, phoneOutcome } from '../magic-phones.js';
import type { Decision, MethodFamily, PreparedAttempt, Voucher } from './family.js';

const HOUR = 3_600_000;

interface KioskKind {
  provider: string;
  /** How long the reference can be paid. @assumption XPay documents no expiry; Fawry's own default is 48 h. */
  validForMs: number;
  digits: number;
  nextAction: 'display_voucher_details' | 'display_bank_transfer_instructions';
  instructions: (reference: string) => string;
}

const KINDS: Record<string, KioskKind> = {
  fawry: { provider: 'fawry', validForMs: 48 * HOUR, digits: 9, nextAction: 'display_voucher_details', instructions: (r) => `Pay at any Fawry outlet or in the myFawry app with reference ${r}.` },
  aman: { provider: 'aman', validForMs: 48 * HOUR, digits: 9, nextAction: 'display_voucher_details', instructions: (r) => `Pay at any Aman outlet with reference ${r}.` },
  instapay: { provider: 'instapay', validForMs: 24 * HOUR, digits: 10, nextAction: 'display_bank_transfer_instructions', instructions: (r) => `Send the amount with InstaPay to xpay-sim@instapay, writing ${r} in the note.` },
  bank_transfer: { provider: 'bank_transfer', validForMs: 72 * HOUR, digits: 10, nextAction: 'display_bank_transfer_instructions', instructions: (r) => `Transfer the amount to IBAN EG380019000500000000263180002 (xpay-sim Demo Store) with reference ${r}.` },
};

function reference(ns: Namespace, digits: number): string {
  let out = String(1 + (ns.random.nextUint32() % 9));
  while (out.length < digits) out += String(ns.random.nextUint32() % 10);
  return out;
}

/** What a magic phone schedules for a pay-later payment (shared with cash on delivery). */
export function scheduled(ns: Namespace, phone: string | null, family: string): Pick<Extract<Decision, { kind: 'pending' }>, 'settleAt' | 'settleOutcome'> {
  const outcome = phoneOutcome(phone, family);
  if (outcome !== 'paid_later' && outcome !== 'fails_later') return { settleAt: null, settleOutcome: null };
  return { settleAt: new Date(ns.clock.now() + MAGIC_SETTLE_AFTER_MS).toISOString(), settleOutcome: outcome === 'paid_later' ? 'paid' : 'failed' };
}

export const kioskFamily: MethodFamily = {
  name: 'kiosk',
  types: Object.keys(KINDS),
  prepare(ns, req): PreparedAttempt {
    const kind = KINDS[req.type]!;
    const ref = reference(ns, kind.digits);
    const expiresAt = new Date(ns.clock.now() + kind.validForMs).toISOString();
    const voucher: Voucher = { provider: kind.provider, reference: ref, expiresAt, instructions: kind.instructions(ref) };
    return {
      paymentMethodType: req.type,
      card: null,
      // Fawry's own fields; Aman and transfers carry their reference in the intent's nextAction only.
      fawry: req.type === 'fawry' ? { fawryRefNumber: ref, paymentReferenceNumber: null, paymentMethod: 'PAYATFAWRY', paymentTime: null, expiresAt } : null,
      nameOnMethod: null,
      behaviour: null,
      decision: { kind: 'pending', voucher, nextActionType: kind.nextAction, ...scheduled(ns, req.payer.phone, 'kiosk') },
    };
  },
};
