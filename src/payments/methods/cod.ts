// Cash on delivery: the session completes unpaid at once and waits until the courier reports
// the cash collected or the order refused (a control call, or a magic phone by the clock).
import { errors } from '../../core/errors.js';
import { scheduled } from './kiosk.js';
import type { MethodFamily } from './family.js';

export const codFamily: MethodFamily = {
  name: 'cod',
  types: ['cash_on_delivery'],
  prepare(ns, req) {
    // The courier calls before delivering. @assumption XPay documents no COD fields.
    if (!req.payer.phone) throw errors.missing('customerDetails.phone');
    return {
      paymentMethodType: req.type,
      card: null,
      nameOnMethod: null,
      behaviour: null,
      decision: { kind: 'pending', voucher: null, nextActionType: null, ...scheduled(ns, req.payer.phone, 'cod') },
    };
  },
};
