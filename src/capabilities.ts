// Wires the capabilities that hook into the pipeline (interceptors, due work, event listeners).
// Each capability installs itself here in one line, in the order it must run.
import type { Simulator } from './simulator.js';
import { installPayments } from './payments/install.js';
import { installWebhooks } from './webhooks/install.js';
import { expireOverdueSessions, nextSessionExpiry } from './checkout/session-actions.js';

export function installCapabilities(sim: Simulator): void {
  installPayments(sim);
  installWebhooks(sim);
  sim.dueWork.push(expireOverdueSessions);
  sim.dueTimes.push(nextSessionExpiry);
}
