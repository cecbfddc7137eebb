// Installs the money-movement capability: per-namespace settlement delay and enabled payment
// methods, settlement by the clock (balances, pay-later payments, waiting refunds), and abandoning
// 3-D Secure challenges whose session expired.
import type { Simulator } from '../simulator.js';
import { nextSettlement, SETTLEMENT_DELAY_KEY, settleDueBalances } from './ledger-book.js';
import { abandonExpiredChallenges } from './pay.js';
import { nextAsyncDue, settleDueAsyncPayments } from './pay-async.js';
import { nextRefundDue, settleDueRefunds } from './refund-async.js';
import { setAccountMethods } from './account-methods.js';

export function installPayments(sim: Simulator): void {
  sim.namespaceCreated.push((ns) => ns.extensions.set(SETTLEMENT_DELAY_KEY, sim.config.settlementDelayMs));
  sim.namespaceCreated.push((ns) => setAccountMethods(ns, sim.config.paymentMethods));
  // Pay-later payments and waiting refunds settle or expire when the clock reaches them.
  sim.dueWork.push(settleDueAsyncPayments, settleDueRefunds);
  sim.dueTimes.push(nextAsyncDue, nextRefundDue);
  sim.dueWork.push((ns) => settleDueBalances(ns));
  sim.dueTimes.push(nextSettlement);
  // Before session expiry (installed after payments), so the expired event shows the failed charge.
  sim.dueWork.push(abandonExpiredChallenges);
}
