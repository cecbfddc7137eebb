// Installs the money-movement capability: per-namespace settlement delay and settlement by the clock.
import type { Simulator } from '../simulator.js';
import { SETTLEMENT_DELAY_KEY, settleDueBalances } from './ledger-book.js';

export function installPayments(sim: Simulator): void {
  sim.namespaceCreated.push((ns) => ns.extensions.set(SETTLEMENT_DELAY_KEY, sim.config.settlementDelayMs));
  sim.dueWork.push((ns) => settleDueBalances(ns));
}
