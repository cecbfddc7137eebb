// A webhook receiver for tests: an HTTP server on 127.0.0.1 that checks every request's
// XPay-Signature, answers 2xx to good ones and 401 to bad ones (so the simulator retries), and
// lets a test wait for an event by type.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { XPaySimClient } from './client.js';
import { verifySignature } from './signature.js';
import type { SimEvent } from './types.js';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  raw: string;
  /** The parsed body, or undefined when it was not JSON. */
  event: SimEvent | undefined;
  verified: boolean;
  /** The status the receiver answered. */
  status: number;
}

export interface WebhookReceiverOptions {
  /** The endpoint's `whsec_…` secret; `register()` sets it. Without one, nothing verifies. */
  secret?: string;
  /** See `verifySignature`: off by default, as the simulator signs with its own (often frozen) clock. */
  toleranceSec?: number;
  /** Path the receiver is reached at (default `/webhooks`). */
  path?: string;
}

export interface WebhookReceiver {
  /** Where the simulator should send events, e.g. `http://127.0.0.1:41234/webhooks`. */
  readonly url: string;
  secret: string | undefined;
  /** Every request received, in arrival order, verified or not. */
  readonly received: ReceivedWebhook[];
  /** The events whose signature verified, in arrival order. */
  events(): SimEvent[];
  /** Creates an endpoint for this receiver in the client's namespace and keeps its secret. */
  register(client: XPaySimClient, enabledEvents?: string[]): Promise<void>;
  /** The first verified event of `type` (exact, `family.*` or `*`), waiting up to `timeoutMs` (default 10 s). */
  waitFor(type: string, timeoutMs?: number): Promise<SimEvent>;
  close(): Promise<void>;
}

/** True when an event type matches an exact type, a `family.*` pattern or `*`. */
export function typeMatches(pattern: string, type: string): boolean {
  if (pattern === '*') return true;
  return pattern.endsWith('.*') ? type.startsWith(pattern.slice(0, -1)) : pattern === type;
}

export async function webhookReceiver(options: WebhookReceiverOptions = {}): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const waiters = new Set<() => void>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const signature = req.headers['xpay-signature'];
      const verified = receiver.secret !== undefined && verifySignature(receiver.secret, Array.isArray(signature) ? signature[0] : signature, raw, { toleranceSec: options.toleranceSec });
      let event: SimEvent | undefined;
      try {
        event = JSON.parse(raw) as SimEvent;
      } catch {
        event = undefined;
      }
      const status = verified && event ? 200 : 401;
      received.push({ headers: req.headers, raw, event, verified, status });
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(status === 200 ? { received: true } : { error: 'signature did not verify' }));
      for (const wake of waiters) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const path = options.path ?? '/webhooks';
  const events = () => received.filter((r) => r.verified && r.event).map((r) => r.event!);
  const receiver: WebhookReceiver = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    secret: options.secret,
    received,
    events,
    async register(client, enabledEvents = ['*']) {
      receiver.secret = (await client.addWebhookEndpoint(receiver.url, enabledEvents)).secret;
    },
    waitFor(type, timeoutMs = 10_000) {
      return new Promise<SimEvent>((resolve, reject) => {
        const check = () => {
          const found = events().find((e) => typeMatches(type, e.type));
          if (!found) return false;
          done();
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          done();
          const seen = received.map((r) => `${r.event?.type ?? '(not JSON)'}${r.verified ? '' : ' (signature did not verify)'}`);
          reject(new Error(`no verified ${type} webhook within ${timeoutMs} ms; received: ${seen.join(', ') || 'nothing'}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(wake);
        };
        const wake = () => void check();
        if (!check()) waiters.add(wake);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return receiver;
}
