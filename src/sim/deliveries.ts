// /_sim/deliveries: every webhook delivery with all its attempts, and a manual resend.
import { errors } from '../core/errors.js';
import { paginate, readPage } from '../core/pagination.js';
import type { Handler } from '../http/types.js';
import { redeliver } from '../webhooks/outbox.js';
import { deliveriesOf, endpointsOf, type DeliveryRecord } from '../webhooks/records.js';
import { simNamespace } from './events.js';
import { redact, redactText } from '../control/redact.js';

const STATUSES = ['pending', 'succeeded', 'failed'];

/** What a receiver answered may echo anything: card numbers, CVCs, secrets and credentials are hidden. */
function redactDelivery(d: DeliveryRecord): DeliveryRecord {
  return {
    ...d,
    requestBody: redactText(d.requestBody),
    attempts: d.attempts.map((a) => ({
      ...a,
      requestHeaders: redact(a.requestHeaders) as Record<string, string>,
      responseBody: a.responseBody === null ? null : redactText(a.responseBody),
    })),
  };
}

export const listSimDeliveries: Handler = (ctx) => {
  const ns = simNamespace(ctx);
  const page = readPage(ctx.query);
  const { eventId, endpointId, status } = ctx.query as Record<string, string | undefined>;
  if (status && !STATUSES.includes(status)) throw errors.invalid('status', `Invalid value for status: must be one of ${STATUSES.join(', ')}.`);
  const matches: DeliveryRecord[] = [];
  for (const d of deliveriesOf(ns).values()) {
    if (eventId && d.eventId !== eventId) continue;
    if (endpointId && d.endpointId !== endpointId) continue;
    if (status && d.status !== status) continue;
    matches.push(d);
  }
  matches.reverse();
  const out = paginate(matches, page);
  return { status: 200, body: { ...out, data: out.data.map(redactDelivery) } };
};

export const redeliverSimDelivery: Handler = async (ctx) => {
  const ns = simNamespace(ctx);
  const delivery = deliveriesOf(ns).get(ctx.params.id!);
  if (!delivery) {
    const cap = ctx.sim.config.limits.deliveries;
    if (deliveriesOf(ns).size < cap) throw errors.notFound('delivery', ctx.params.id!, 'id');
    throw errors.code(404, 'resource_missing', `No such delivery: ${ctx.params.id}. This namespace keeps at most ${cap} webhook deliveries (limit deliveries; the oldest finished ones are evicted first), so it may have been evicted.`, 'id');
  }
  if (!endpointsOf(ns).has(delivery.endpointId)) {
    throw errors.invalidState(`The webhook endpoint ${delivery.endpointId} of this delivery was deleted.`, 'id');
  }
  await redeliver(ctx.sim, ns, delivery);
  return { status: 200, body: redactDelivery(delivery) };
};
