// What mobile wallets and BNPL providers share: the payer's phone number, then a one-time code
// (OTP/PIN) confirmed on it. The magic phone decides the answer; a wrong code is a decline.
import { errors } from '../../core/errors.js';
import { MAGIC_OTP, PHONE_DECLINES, phoneOutcome } from '../magic-phones.js';
import type { PhoneInput } from '../pay-request.js';
import type { AttemptRequest, Decision } from './family.js';

const PHONE = /^\+?[\d\s\-().]{6,20}$/;

/** The phone and code of the attempt (`param` names the input object: wallet or bnpl). */
export function readPhoneInput(req: AttemptRequest, given: PhoneInput | undefined, param: string): { phone: string; otp: string } {
  const phone = given?.phone?.trim() || req.payer.phone;
  if (!phone) throw errors.missing(`${param}.phone`);
  if (!PHONE.test(phone)) throw errors.invalid(`${param}.phone`, `${param}.phone is not a phone number.`);
  const otp = given?.otp?.trim();
  if (!otp) throw errors.missing(`${param}.otp`);
  if (!/^\d{4,8}$/.test(otp)) throw errors.invalid(`${param}.otp`, `${param}.otp is 4 to 8 digits.`);
  return { phone, otp };
}

/** Approve, or the decline the magic phone (then the code) asks for. */
export function phoneDecision(phone: string, otp: string, family: 'wallet' | 'bnpl', otpExpired = false): Decision {
  const outcome = otpExpired ? 'timeout' : phoneOutcome(phone, family);
  if (outcome === 'unknown_account' || outcome === 'insufficient_balance' || outcome === 'timeout' || outcome === 'refused') {
    return { kind: 'decline', error: PHONE_DECLINES[outcome] };
  }
  if (otp !== MAGIC_OTP) return { kind: 'decline', error: PHONE_DECLINES.incorrect_otp };
  return { kind: 'approve' };
}
