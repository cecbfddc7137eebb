// Wires the capabilities that hook into the pipeline (interceptors, due work, event listeners).
// Each capability installs itself here in one line, in the order it must run.
import type { Simulator } from './simulator.js';

export function installCapabilities(_sim: Simulator): void {
  // Capabilities register here, e.g. installIdempotency(sim); installWebhooks(sim).
}
