// Every payment method type XPay's contract names, what family answers for it, how it confirms
// (at once, or later) and what it shows in a session's paymentMethodTypes. Pure data.

export const METHOD_TYPES = [
  'card', 'fawry', 'aman', 'valu', 'sympl', 'tabby', 'tamara', 'vodafone_cash', 'etisalat_cash', 'orange_cash', 'we_pay',
  'apple_pay', 'google_pay', 'samsung_pay', 'instapay', 'bank_transfer', 'cash_on_delivery',
] as const;

export type MethodType = (typeof METHOD_TYPES)[number];
export type FamilyName = 'card' | 'kiosk' | 'wallet' | 'bnpl' | 'cod';

export interface MethodInfo {
  family: FamilyName;
  displayName: string;
  /** UI grouping. @assumption device wallets `digital_wallet` (XPay SDK 3.1.1); the rest unverified. */
  category: string;
  /** `immediate`: decided during the attempt; `async`: the money arrives (or not) later. */
  confirmation: 'immediate' | 'async';
  supportsRefund: boolean;
  supportsPartialRefund: boolean;
  /** Payer fields the method cannot work without. */
  requiredCustomerFields: string[] | null;
  /** Smallest and largest amount, in minor units (null: no limit). */
  minAmount: number | null;
  maxAmount: number | null;
}

const m = (family: FamilyName, displayName: string, category: string, extra: Partial<MethodInfo> = {}): MethodInfo => ({
  family, displayName, category, confirmation: 'immediate', supportsRefund: true, supportsPartialRefund: true, requiredCustomerFields: null, minAmount: null, maxAmount: null, ...extra,
});

const PHONE = ['phone'];

export const METHODS: Record<MethodType, MethodInfo> = {
  card: m('card', 'Card', 'card'),
  apple_pay: m('card', 'Apple Pay', 'digital_wallet'),
  google_pay: m('card', 'Google Pay', 'digital_wallet'),
  samsung_pay: m('card', 'Samsung Pay', 'digital_wallet'),
  fawry: m('kiosk', 'Fawry', 'cash', { confirmation: 'async', maxAmount: 5_000_000 }),
  aman: m('kiosk', 'Aman', 'cash', { confirmation: 'async', maxAmount: 5_000_000 }),
  instapay: m('kiosk', 'InstaPay', 'bank_transfer', { confirmation: 'async' }),
  bank_transfer: m('kiosk', 'Bank transfer', 'bank_transfer', { confirmation: 'async' }),
  vodafone_cash: m('wallet', 'Vodafone Cash', 'wallet', { requiredCustomerFields: PHONE }),
  etisalat_cash: m('wallet', 'Etisalat Cash', 'wallet', { requiredCustomerFields: PHONE }),
  orange_cash: m('wallet', 'Orange Cash', 'wallet', { requiredCustomerFields: PHONE }),
  we_pay: m('wallet', 'WE Pay', 'wallet', { requiredCustomerFields: PHONE }),
  // valU refunds go through valU itself (XPay's processor refuses them).
  valu: m('bnpl', 'valU', 'bnpl', { requiredCustomerFields: PHONE, supportsRefund: false, supportsPartialRefund: false, minAmount: 50_000 }),
  sympl: m('bnpl', 'Sympl', 'bnpl', { requiredCustomerFields: PHONE, minAmount: 50_000 }),
  tabby: m('bnpl', 'Tabby', 'bnpl', { requiredCustomerFields: PHONE, minAmount: 10_000 }),
  tamara: m('bnpl', 'Tamara', 'bnpl', { requiredCustomerFields: PHONE, minAmount: 10_000 }),
  cash_on_delivery: m('cod', 'Cash on delivery', 'cash', { confirmation: 'async', supportsPartialRefund: false, maxAmount: 2_000_000 }),
};

export function isMethodType(type: string): type is MethodType {
  return Object.hasOwn(METHODS, type);
}

export function methodInfo(type: string): MethodInfo | undefined {
  return isMethodType(type) ? METHODS[type] : undefined;
}

/** The default merchant: every method in EGP (as XPay's Egyptian merchants can), cards elsewhere. */
export function defaultMethodsFor(currency: string): MethodType[] {
  return currency === 'EGP' ? [...METHOD_TYPES] : ['card'];
}

/** Months a BNPL purchase can be spread over; 6 when none is chosen. */
export const TENURES = [3, 6, 9, 12, 18, 24, 36, 48, 60] as const;
