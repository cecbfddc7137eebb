// Wires the capabilities that hook into the pipeline (interceptors, due work, event listeners).
// Each capability installs itself here in one line, in the order it must run.
import type { Simulator } from './simulator.js';
import { installRequestLog } from './control/request-log.js';
import { installPageRequestLog } from './control/page-request-log.js';
import { installFaults } from './control/faults.js';
import { installPersistence } from './store/durable-requests.js';
import { installIdempotency } from './control/idempotency.js';
import { addExportedCollections } from './control/state.js';
import { installPayments } from './payments/install.js';
import { installWebhooks } from './webhooks/install.js';
import { installLive } from './sim/live.js';
import { expireOverdueSessions, nextSessionExpiry } from './checkout/session-actions.js';

export function installCapabilities(sim: Simulator): void {
  // Control plane first, outermost to innermost: request log → faults → idempotency → handler.
  installRequestLog(sim);
  installPageRequestLog(sim);
  installFaults(sim);
  installIdempotency(sim);
  sim.namespaceCreated.push((ns) => addExportedCollections(sim, ns));
  installPayments(sim);
  installWebhooks(sim);
  sim.dueWork.push(expireOverdueSessions);
  sim.dueTimes.push(nextSessionExpiry);
  installLive(sim);
  // Keep last: loads --data after every hook is installed; its durable write wraps idempotency.
  installPersistence(sim);
}
