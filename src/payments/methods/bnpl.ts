// Buy now, pay later (valU, Sympl, Tabby, Tamara): phone number, OTP, the provider's approval,
// and the installment plan recorded on the charge (XPay's `valu` details).
import { errors } from '../../core/errors.js';
import { decimalsOf } from '../../core/money.js';
import type { Namespace } from '../../store/namespace.js';
import { TENURES } from '../method-catalog.js';
import type { ValuDetails } from '../types.js';
import type { MethodFamily } from './family.js';
import { phoneDecision, readPhoneInput } from './phone-confirmed.js';


const major = (minor: number, currency: string) => (minor / 10 ** decimalsOf(currency)).toFixed(decimalsOf(currency));

function monthsLater(iso: string, months: number): string {
  const d = new Date(iso);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

/** No down payment; the remainder in equal monthly installments, the last one taking the rounding. */
export function installmentPlan(ns: Namespace, amount: number, currency: string, tenure: number): ValuDetails {
  const emi = Math.ceil(amount / tenure);
  const now = ns.nowIso();
  return {
    loanNumber: `LN${String(ns.random.nextUint32()).padStart(10, '0')}`,
    tenure,
    emi: major(emi, currency),
    downPayment: major(0, currency),
    financedAmount: major(amount, currency),
    firstEmiDueDate: monthsLater(now, 1),
    lastInstallmentDate: monthsLater(now, tenure),
  };
}

export const bnplFamily: MethodFamily = {
  name: 'bnpl',
  types: ['valu', 'sympl', 'tabby', 'tamara'],
  prepare(ns, req) {
    const tenure = req.input.bnpl?.tenure ?? 6;
    if (!(TENURES as readonly number[]).includes(tenure)) throw errors.invalid('bnpl.tenure', `bnpl.tenure is one of ${TENURES.join(', ')} months.`);
    const { phone, otp } = readPhoneInput(req, req.input.bnpl, 'bnpl');
    const decision = phoneDecision(phone, otp, 'bnpl', req.input.bnpl?.otpExpired === true);
    return {
      paymentMethodType: req.type,
      card: null,
      valu: decision.kind === 'approve' ? installmentPlan(ns, req.amount, req.currency, tenure) : null,
      nameOnMethod: null,
      phoneOnMethod: phone,
      behaviour: null,
      decision,
    };
  },
};
