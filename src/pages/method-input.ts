// The chosen payment method's form fields → the pay orchestrator's PayInput parts. Only form
// parsing lives here; the method families decide everything else.
import { methodInfo } from '../payments/method-catalog.js';
import type { PayInput } from '../payments/pay.js';
import type { SessionRecord } from '../checkout/session-record.js';
import type { Strings } from './i18n.js';

/** The method the page shows: the asked one when the session takes it, else the session's first. */
export function chosenMethod(session: Pick<SessionRecord, 'paymentMethodTypes'>, asked: unknown): string {
  const list = session.paymentMethodTypes;
  return typeof asked === 'string' && list.includes(asked) ? asked : (list.includes('card') ? 'card' : (list[0] ?? 'card'));
}

export interface MethodFormResult {
  input: Pick<PayInput, 'paymentMethodType' | 'wallet' | 'bnpl'>;
  /** A phone for the payer (kiosk SMS, courier) when the contact section did not ask for one. */
  payerPhone: string | null;
  /** Wallet/BNPL phone given, code not yet: show the code step instead of paying. */
  needsOtp: boolean;
  /** Whether the card fields are part of this method. */
  usesCard: boolean;
}

export function readMethodForm(method: string, values: Record<string, string>, errors: Record<string, string>, t: Strings): MethodFormResult {
  const family = methodInfo(method)?.family ?? 'card';
  const phone = values.methodPhone?.trim() || null;
  const otp = values.otp?.trim() || null;
  const out: MethodFormResult = { input: { paymentMethodType: method }, payerPhone: null, needsOtp: false, usesCard: family === 'card' };
  if (family === 'wallet' || family === 'bnpl') {
    if (!phone) errors.methodPhone = t.required;
    // The code step follows the phone step; a code sent before it is ignored.
    out.needsOtp = !!phone && (values.otpStep !== '1' || !otp);
    if (values.otpStep === '1' && !otp) errors.otp = t.required;
    const given = { phone, otp };
    if (family === 'wallet') out.input.wallet = given;
    else out.input.bnpl = { ...given, tenure: Number(values.tenure ?? '6') };
  } else if (family === 'cod') {
    if (!phone) errors.methodPhone = t.required;
    out.payerPhone = phone;
  } else if (family === 'kiosk') {
    out.payerPhone = phone;
  }
  return out;
}
