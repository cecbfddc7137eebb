// The payment methods the simulated merchant has enabled, per currency: every XPay method in
// EGP by default; `--payment-methods CUR=a,b` (or the `paymentMethods` option) narrows it, as
// provisioning would. GET /account shows it and session/link paymentMethodTypes are checked against it.
import type { Namespace } from '../store/namespace.js';
import { defaultMethodsFor, isMethodType, METHOD_TYPES } from './method-catalog.js';

const KEY = 'account.paymentMethods';

/** Per-currency overrides set when the namespace is created. */
export function setAccountMethods(ns: Namespace, methods: Record<string, string[]> | undefined): void {
  if (methods) ns.extensions.set(KEY, methods);
}

export function accountMethods(ns: Namespace, currency: string): string[] {
  const configured = (ns.extensions.get(KEY) as Record<string, string[]> | undefined)?.[currency];
  return configured ? [...configured] : defaultMethodsFor(currency);
}

/** `CUR=type,type` → [currency, types], or a message saying what is wrong. */
export function parseMethodSetting(setting: string, currencies: readonly string[]): [string, string[]] | string {
  const [cur, list] = setting.split('=', 2).map((s) => s.trim());
  if (!cur || list === undefined || !currencies.includes(cur.toUpperCase())) return `--payment-methods takes CURRENCY=type,type (currencies: ${currencies.join(', ')}), got ${setting}`;
  const types = list === '' ? [] : list.split(',').map((s) => s.trim());
  const unknown = types.find((t) => !isMethodType(t));
  if (unknown !== undefined) return `--payment-methods: unknown payment method ${unknown} (known: ${METHOD_TYPES.join(', ')})`;
  return [cur.toUpperCase(), [...new Set(types)]];
}
