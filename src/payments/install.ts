// Installs the money-movement capability: per-namespace settlement delay, settlement by the clock,
// and abandoning 3-D Secure challenges whose session expired.
import type { Simulator } from '../simulator.js';
import { nextSettlement, SETTLEMENT_DELAY_KEY, settleDueBalances } from './ledger-book.js';
import { abandonExpiredChallenges } from './pay.js';

export function installPayments(sim: Simulator): void {
  sim.namespaceCreated.push((ns) => ns.extensions.set(SETTLEMENT_DELAY_KEY, sim.config.settlementDelayMs));
  sim.dueWork.push((ns) => settleDueBalances(ns));
  sim.dueTimes.push(nextSettlement);
  // Before session expiry (installed after payments), so the expired event shows the failed charge.
  sim.dueWork.push(abandonExpiredChallenges);
}
