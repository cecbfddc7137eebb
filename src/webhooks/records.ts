// Stored shapes of webhook endpoints and deliveries, typed views of their collections, and the
// event-type patterns endpoints subscribe with (exact, `family.*`, `*`).
import type { Namespace } from '../store/namespace.js';
import type { Metadata } from '../store/types.js';

export interface WebhookEndpointRecord {
  id: string;
  object: 'webhook_endpoint';
  url: string;
  description: string | null;
  status: 'enabled' | 'disabled';
  enabledEvents: string[];
  livemode: boolean;
  metadata: Metadata;
  createdAt: string;
  updatedAt: string;
  _secret: string;
  /** Set on the endpoint made from `--webhook-url`: its secret follows the configuration. */
  _fromConfig?: boolean;
}

export interface DeliveryAttempt {
  attempt: number;
  trigger: 'automatic' | 'manual';
  url: string;
  startedAt: string;
  requestHeaders: Record<string, string>;
  responseStatus: number | null;
  responseBody: string | null;
  latencyMs: number | null;
  /** How long the attempt waited for a free slot of its endpoint (absent in data from older versions). */
  queuedMs?: number | null;
  error: string | null;
}

export interface DeliveryRecord {
  id: string;
  object: 'webhook_delivery';
  eventId: string;
  eventType: string;
  endpointId: string;
  url: string;
  status: 'pending' | 'succeeded' | 'failed';
  /** Automatic attempts made so far (manual redeliveries are listed but not counted). */
  attemptCount: number;
  nextAttemptAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** The exact bytes sent (as a string): one serialization per event, shared by its deliveries. */
  requestBody: string;
  attempts: DeliveryAttempt[];
  lastError: string | null;
}

export function endpointsOf(ns: Namespace): Map<string, WebhookEndpointRecord> {
  return ns.db.webhookEndpoints as unknown as Map<string, WebhookEndpointRecord>;
}

export function deliveriesOf(ns: Namespace): Map<string, DeliveryRecord> {
  // Deliveries of events emitted by a request are built after its answer (outbox.ts).
  ns.settle();
  return ns.db.deliveries as unknown as Map<string, DeliveryRecord>;
}

/** `*` = every type; `charge.*` = the family (any depth below `charge.`); otherwise exact. */
export function typeMatches(pattern: string, type: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}

/** An empty list subscribes to everything, as in XPay's contract. */
export function subscribes(enabledEvents: readonly string[], type: string): boolean {
  return enabledEvents.length === 0 || enabledEvents.some((p) => typeMatches(p, type));
}

/** Event families XPay documents or shows; a pattern outside them cannot be subscribed to. */
export const EVENT_FAMILIES = [
  'checkout.session', 'payment_intent', 'charge', 'refund', 'customer', 'product', 'price', 'payment_link', 'webhook_endpoint',
] as const;

const PATTERN = /^(\*|[a-z_]+(\.[a-z_]+)*(\.\*)?)$/;

/** Why a subscription pattern is refused, or undefined when it is fine. */
export function patternProblem(pattern: string): string | undefined {
  if (!PATTERN.test(pattern)) return `"${pattern}" is not an event type (like charge.refunded), a family (like charge.*) or *.`;
  if (pattern === '*') return undefined;
  const stem = pattern.endsWith('.*') ? pattern.slice(0, -2) : pattern;
  const known = EVENT_FAMILIES.some((f) => (stem === f && pattern.endsWith('.*')) || stem.startsWith(f + '.') || (pattern.endsWith('.*') && f.startsWith(stem + '.')));
  return known ? undefined : `"${pattern}" matches no event type XPay sends (families: ${EVENT_FAMILIES.join(', ')}).`;
}
