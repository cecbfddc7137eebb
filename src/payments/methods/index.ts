// Which family answers for a payment method type, and the method's amount limits. Only the pay
// orchestrator asks.
import { errors } from '../../core/errors.js';
import { bnplFamily } from './bnpl.js';
import { cardFamily } from './card.js';
import { methodInfo } from '../method-catalog.js';
import { codFamily } from './cod.js';
import type { MethodFamily } from './family.js';
import { kioskFamily } from './kiosk.js';
import { walletFamily } from './wallet.js';

const FAMILIES: readonly MethodFamily[] = [cardFamily, kioskFamily, walletFamily, bnplFamily, codFamily];

const BY_TYPE = new Map(FAMILIES.flatMap((f) => f.types.map((t) => [t, f] as const)));

/** The family of `type`; a type no family takes → 400 on `paymentMethodType`. */
export function familyOf(type: string): MethodFamily {
  const family = BY_TYPE.get(type);
  if (!family) throw errors.invalid('paymentMethodType', `Payment method type ${type} cannot be paid through the simulator.`);
  return family;
}

/** An amount outside what the method takes → 400 amount_invalid (nothing is charged). */
export function checkMethodAmount(type: string, amount: number): void {
  const info = methodInfo(type);
  if (!info) return;
  if (info.minAmount !== null && amount < info.minAmount) {
    throw errors.code(400, 'amount_invalid', `${info.displayName} takes amounts from ${info.minAmount} (minor units); this session is ${amount}.`, 'paymentMethodType');
  }
  if (info.maxAmount !== null && amount > info.maxAmount) {
    throw errors.code(400, 'amount_invalid', `${info.displayName} takes amounts up to ${info.maxAmount} (minor units); this session is ${amount}.`, 'paymentMethodType');
  }
}
