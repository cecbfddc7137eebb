// /webhook-endpoints: the URLs a namespace's events are delivered to, their subscriptions and
// signing secrets (the `whsec_…` secret is shown once, on create).
import { errors } from '../core/errors.js';
import { mergeMetadata, readMetadata } from '../core/metadata.js';
import { nsOf, type Handler, type RequestContext } from '../http/types.js';
import { allowListOf, refusalOf } from '../webhooks/allow-list.js';
import type { Namespace } from '../store/namespace.js';
import { endpointsOf, patternProblem, type WebhookEndpointRecord } from '../webhooks/records.js';
import { newSecret } from '../webhooks/signer.js';
import { checkMergedMetadata } from '../http/input-caps.js';

export function renderWebhookEndpoint(e: WebhookEndpointRecord): Record<string, unknown> {
  const { _secret, _fromConfig, ...shape } = e;
  return shape;
}

function findEndpoint(ns: Namespace, id: string): WebhookEndpointRecord {
  const endpoint = endpointsOf(ns).get(id);
  if (!endpoint) throw errors.notFound('webhook endpoint', id, 'id');
  return endpoint;
}

/**
 * @assumption plain http:// is accepted (XPay requires https) so local receivers work without TLS.
 * Several endpoints may share a URL: XPay's Odoo module creates the new endpoint before deleting the
 * old one and de-duplicates by URL itself ("one per URL" is only a dashboard form rule).
 */
function checkUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw errors.invalid('url', `Invalid URL: ${url}`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw errors.invalid('url', 'The webhook URL must use https:// (or http:// in the simulator).');
  return url;
}

/**
 * @assumption the cap is `--limit webhookEndpoints` (16, Stripe's number; XPay's is unpublished).
 * XPay's module recognises the refusal by its message ("maximum", "limit"), so the message names it.
 */
function checkRoom(ns: Namespace, max: number): void {
  if (endpointsOf(ns).size < max) return;
  throw errors.code(400, 'invalid_request',
    `This account already has the maximum of ${max} endpoints; delete one before adding another.`);
}

function checkEvents(events: string[]): string[] {
  events.forEach((pattern, i) => {
    const problem = patternProblem(pattern);
    if (problem) throw errors.invalid(`enabledEvents[${i}]`, problem);
  });
  return [...events];
}

interface EndpointInput {
  url?: string;
  description?: string | null;
  enabledEvents?: string[];
  status?: 'enabled' | 'disabled';
  metadata?: Record<string, unknown> | null;
}

/** With `--webhook-allow`, the URL's host must be allowed (looked up first, before any state is read). */
async function checkAllowed(ctx: RequestContext, url: string | undefined): Promise<void> {
  const list = allowListOf(ctx.sim.config);
  if (!list || url === undefined) return;
  checkUrl(url);
  const refused = await refusalOf(list, url);
  if (refused) throw errors.invalid('url', refused);
}

export const createWebhookEndpoint: Handler = async (ctx) => {
  const body = ctx.body as EndpointInput;
  await checkAllowed(ctx, body.url);
  const ns = nsOf(ctx);
  const url = checkUrl(body.url!);
  const enabledEvents = checkEvents(body.enabledEvents!);
  const metadata = readMetadata(body.metadata) ?? {};
  checkRoom(ns, ctx.sim.config.limits.webhookEndpoints);
  const now = ns.nowIso();
  const endpoint: WebhookEndpointRecord = {
    id: ns.ids.next('we'),
    object: 'webhook_endpoint',
    url,
    description: body.description ?? null,
    status: 'enabled',
    enabledEvents,
    livemode: ns.livemode,
    metadata,
    createdAt: now,
    updatedAt: now,
    _secret: newSecret((n) => ns.random.hex(n)),
  };
  endpointsOf(ns).set(endpoint.id, endpoint);
  return { status: 201, body: { ...renderWebhookEndpoint(endpoint), secret: endpoint._secret } };
};

export const listWebhookEndpoints: Handler = (ctx) => {
  const all = [...endpointsOf(nsOf(ctx)).values()].reverse(); // newest first
  return { status: 200, body: { object: 'list', data: all.map(renderWebhookEndpoint) } };
};

export const getWebhookEndpoint: Handler = (ctx) => ({ status: 200, body: renderWebhookEndpoint(findEndpoint(nsOf(ctx), ctx.params.id!)) });

export const updateWebhookEndpoint: Handler = async (ctx) => {
  const body = ctx.body as EndpointInput;
  await checkAllowed(ctx, body.url);
  const ns = nsOf(ctx);
  const endpoint = findEndpoint(ns, ctx.params.id!);
  const next: WebhookEndpointRecord = { ...endpoint };
  if (body.url !== undefined) next.url = checkUrl(body.url);
  if (body.enabledEvents !== undefined) next.enabledEvents = checkEvents(body.enabledEvents);
  if (body.description !== undefined) next.description = body.description;
  if (body.status !== undefined) next.status = body.status;
  if (body.metadata !== undefined) next.metadata = mergeMetadata(endpoint.metadata, readMetadata(body.metadata) ?? null) ?? {};
  if (body.metadata !== undefined) checkMergedMetadata(next.metadata, ctx.sim.config.limits.metadataKeys);
  next.updatedAt = ns.nowIso();
  endpointsOf(ns).set(next.id, next);
  return { status: 200, body: renderWebhookEndpoint(next) };
};

export const deleteWebhookEndpoint: Handler = (ctx) => {
  const ns = nsOf(ctx);
  const endpoint = findEndpoint(ns, ctx.params.id!);
  endpointsOf(ns).delete(endpoint.id);
  return { status: 204 };
};
