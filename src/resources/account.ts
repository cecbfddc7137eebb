// GET /account: the merchant behind the key, its currencies and the calling key's powers.
import { CURRENCIES, decimalsOf } from '../core/money.js';
import { nsOf, type Handler } from '../http/types.js';
import { accountMethods } from '../payments/account-methods.js';
import { MERCHANT_DISPLAY_NAME } from '../core/merchant.js';


export const ALL_PERMISSIONS = [
  'BALANCE', 'CHARGES', 'CHECKOUT_SESSIONS', 'COUPONS', 'CUSTOMERS', 'DISPUTES', 'EVENTS', 'MANDATES', 'PAYMENT_INTENTS',
  'PAYMENT_LINKS', 'PAYMENT_METHODS', 'PAYOUTS', 'PRODUCTS', 'REFUNDS', 'REPORTING', 'SUBSCRIPTIONS', 'TAX_CALCULATIONS',
  'TAX_RATES', 'TERMINAL', 'TOKENS', 'TOPUPS', 'TRANSFERS', 'WEBHOOK_ENDPOINTS', 'TEAM', 'MERCHANT_SETTINGS', 'ONBOARDING', 'API_KEYS',
].flatMap((p) => [`${p}_READ`, `${p}_WRITE`]);

export const getAccount: Handler = (ctx) => {
  const ns = nsOf(ctx);
  const key = ctx.key!;
  return {
    status: 200,
    body: {
      id: ns.merchantId,
      displayName: MERCHANT_DISPLAY_NAME,
      country: 'EG',
      defaultCurrency: 'EGP',
      defaultLocale: 'en',
      supportedCurrencies: CURRENCIES.map((code) => ({ code, decimals: decimalsOf(code), paymentMethodTypes: accountMethods(ns, code) })),
      livemode: key.livemode,
      livePaymentsEnabled: true,
      apiKey: { type: key.kind === 'restricted' ? 'RESTRICTED' : 'SECRET', mode: key.livemode ? 'live' : 'test', permissions: ALL_PERMISSIONS },
    },
  };
};
