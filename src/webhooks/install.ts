// Installs webhooks into a simulator: the outbox listens to events, retries run as due work,
// and `--webhook-url` becomes an endpoint of every namespace.
import { createHash } from 'node:crypto';
import { webhookAllowProblem } from '../config.js';
import { onEvent } from '../events/emit.js';
import type { Simulator } from '../simulator.js';
import type { Namespace } from '../store/namespace.js';
import { closeDeliveries, enqueueEvent, flushUnlessQueued, nextRetryAt } from './outbox.js';
import { endpointsOf, type WebhookEndpointRecord } from './records.js';
import { configuredSecret } from './signer.js';
import { installEventWaiters } from './waiters.js';

export function installWebhooks(sim: Simulator): void {
  // Library callers get the same start-up refusal as the CLI.
  const allowProblem = webhookAllowProblem(sim.config);
  if (allowProblem) throw new Error(allowProblem);
  onEvent(sim, (ns, event) => enqueueEvent(sim, ns, event));
  installEventWaiters(sim);
  sim.dueWork.push((ns) => flushUnlessQueued(sim, ns));
  sim.dueTimes.push(nextRetryAt);
  sim.closing.push(() => closeDeliveries(sim));
  if (sim.config.webhookUrl) sim.namespaceCreated.push((ns) => addConfiguredEndpoint(sim, ns));
}

/** The endpoint `--webhook-url` gives every namespace: all events, the configured (or seed-derived) secret. */
function addConfiguredEndpoint(sim: Simulator, ns: Namespace): void {
  const url = sim.config.webhookUrl!;
  const id = 'we_' + createHash('sha256').update(`${sim.config.seed}\u0000${url}`).digest('hex').slice(0, 22);
  const now = ns.nowIso();
  const endpoint: WebhookEndpointRecord = {
    id,
    object: 'webhook_endpoint',
    url,
    description: 'Configured with --webhook-url',
    status: 'enabled',
    enabledEvents: ['*'],
    livemode: ns.livemode,
    metadata: {},
    createdAt: now,
    updatedAt: now,
    _secret: configuredSecret(sim.config.seed, sim.config.webhookSecret),
    _fromConfig: true,
  };
  endpointsOf(ns).set(id, endpoint);
}

/** The start-up line for `--webhook-url`; a generated secret is printed, a given one is not. */
export function webhookBanner(config: Simulator['config']): string {
  if (!config.webhookUrl) return '';
  const secret = config.webhookSecret
    ? 'the --webhook-secret given'
    : `${configuredSecret(config.seed)} (derived from --seed; set --webhook-secret to choose it)`;
  return `  webhooks: every event of every namespace → ${config.webhookUrl}, signed with ${secret}\n`;
}
