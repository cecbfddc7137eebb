// Mobile wallets (Vodafone Cash, Etisalat Cash, Orange Cash, WE Pay): the wallet's phone number
// and the OTP/PIN the wallet sends; decided during the attempt.
import type { MethodFamily } from './family.js';
import { phoneDecision, readPhoneInput } from './phone-confirmed.js';

export const walletFamily: MethodFamily = {
  name: 'wallet',
  types: ['vodafone_cash', 'etisalat_cash', 'orange_cash', 'we_pay'],
  prepare(_ns, req) {
    const { phone, otp } = readPhoneInput(req, req.input.wallet, 'wallet');
    return { paymentMethodType: req.type, card: null, nameOnMethod: null, phoneOnMethod: phone, behaviour: null, decision: phoneDecision(phone, otp, 'wallet', req.input.wallet?.otpExpired === true) };
  },
};
