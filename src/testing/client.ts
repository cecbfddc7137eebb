// A small XPay client for tests, bound to one API key (one namespace of the simulator): plain
// fetch, XPay's paths, and the simulator's `/_sim` controls (pay, clock, events, reset).
import { randomBytes } from 'node:crypto';
import { XPayApiError } from './errors.js';
import type { CardInput, CheckoutSession, SimClock, SimEvent, WebhookEndpoint } from './types.js';

export interface ClientOptions {
  /** The simulator's base URL, e.g. `http://127.0.0.1:12111`. */
  url: string;
  /** The API key; a fresh `sk_test_…` key (an empty namespace seeded from the fixtures) when left out. */
  key?: string;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  idempotencyKey?: string;
}

export interface RawResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A new, unused test key: each one is its own namespace, so tests never see each other's data. */
export function freshKey(prefix = 'sk_test_'): string {
  return prefix + randomBytes(12).toString('hex');
}

/** The test card that always succeeds (XPay's documented test card). */
export const SUCCESS_CARD = '5123450000000008';

function cardBody(card: CardInput): Record<string, unknown> {
  const given = typeof card === 'string' ? { number: card } : card;
  const { number, cvc, ...rest } = given;
  const hasExpiry = rest.exp !== undefined || rest.expMonth !== undefined || rest.expYear !== undefined;
  // American Express asks for 4 CVC digits; every other brand for 3.
  const defaultCvc = /^3[47]/.test(number.replace(/\D/g, '')) ? '1000' : '100';
  return { number, cvc: cvc ?? defaultCvc, ...(hasExpiry ? {} : { exp: '01/39' }), ...rest };
}

export class XPaySimClient {
  readonly url: string;
  readonly key: string;

  constructor(options: ClientOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.key = options.key ?? freshKey();
  }

  /** Any request; answers every status without throwing (for asserting errors). */
  async request<T = any>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<RawResponse<T>> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.key}`, ...options.headers };
    if (options.idempotencyKey !== undefined) headers['Idempotency-Key'] = options.idempotencyKey;
    if (body !== undefined) headers['Content-Type'] ??= 'application/json';
    const res = await fetch(this.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let parsed: unknown = text;
    if (text !== '' && res.headers.get('content-type')?.startsWith('application/json')) parsed = JSON.parse(text);
    return { status: res.status, body: (text === '' ? undefined : parsed) as T, headers: res.headers };
  }

  /** The parsed body of a 2xx answer; anything else throws an XPayApiError with XPay's code and message. */
  async call<T = any>(method: string, path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    const res = await this.request<T>(method, path, body, options);
    if (res.status < 200 || res.status > 299) throw new XPayApiError(method, path, res.status, res.body);
    return res.body;
  }

  get<T = any>(path: string, options?: RequestOptions): Promise<T> {
    return this.call<T>('GET', path, undefined, options);
  }

  post<T = any>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return this.call<T>('POST', path, body ?? {}, options);
  }

  patch<T = any>(path: string, body: unknown, options?: RequestOptions): Promise<T> {
    return this.call<T>('PATCH', path, body, options);
  }

  delete<T = any>(path: string, options?: RequestOptions): Promise<T> {
    return this.call<T>('DELETE', path, undefined, options);
  }

  /**
   * Pays a checkout session as a shopper would on the hosted page, without a browser. Answers the
   * session: declines included (see `paymentIntent.lastPaymentError`); errors such as an expired
   * session throw. `card` is a number (then 01/39 and CVC 100) or every field; `extra` adds
   * `customerDetails`, `shipping`, `promotionCode`, `quantities` or `customFields`. A session that
   * knows no payer gets the contact a shopper would type (`shopper@example.com`, "Test Shopper").
   */
  async pay(sessionId: string, card: CardInput = SUCCESS_CARD, extra: Record<string, unknown> = {}): Promise<CheckoutSession> {
    const path = `/_sim/checkout/sessions/${encodeURIComponent(sessionId)}/pay`;
    const body: Record<string, unknown> = { card: cardBody(card), ...extra };
    if (body.customerDetails === undefined) {
      const session = await this.get<CheckoutSession>(`/checkout/sessions/${encodeURIComponent(sessionId)}`);
      const known = (session.customerDetails ?? {}) as { email?: string | null; phone?: string | null; name?: string | null };
      const needsContact = !session.customerId && !known.email && !known.phone;
      const needsName = session.nameCollection && !known.name;
      if (needsContact || needsName) body.customerDetails = { ...(needsContact ? { email: 'shopper@example.com' } : {}), ...(needsName ? { name: 'Test Shopper' } : {}) };
    }
    return this.post<CheckoutSession>(path, body);
  }

  /** Moves this namespace's clock forward (`'2h'`, `'1d'`, milliseconds, or `{to: ISO}`), running what falls due. */
  advanceClock(by: string | number | { to: string }): Promise<SimClock> {
    return this.post<SimClock>('/_sim/clock/advance', typeof by === 'object' ? by : { by });
  }

  /** Switches this namespace's clock mode and/or sets its time (`{mode: 'manual', now: ISO}`). */
  setClock(clock: { mode?: SimClock['mode']; now?: string }): Promise<SimClock> {
    return this.post<SimClock>('/_sim/clock', clock);
  }

  /**
   * The first event of `type` (exact, a family like `charge.*`, or `*`), waiting for it up to
   * `timeoutMs` (default 10 s, at most 60 s). `after` counts only events emitted after that event id.
   */
  waitForEvent(type: string, options: { resourceId?: string; after?: string; timeoutMs?: number } = {}): Promise<SimEvent> {
    const query = new URLSearchParams({ type, timeout: String(options.timeoutMs ?? 10_000) });
    if (options.resourceId) query.set('resourceId', options.resourceId);
    if (options.after) query.set('after', options.after);
    return this.get<SimEvent>(`/_sim/events/wait?${query}`);
  }

  /** This namespace's events, newest first (`type` may be a family such as `charge.*`). */
  async events(type?: string): Promise<SimEvent[]> {
    const list = await this.get<{ data: SimEvent[] }>(`/_sim/events?limit=100${type ? `&type=${encodeURIComponent(type)}` : ''}`);
    return list.data;
  }

  /** Puts this namespace back to the fixtures (data, events, clock, idempotency keys). */
  async reset(): Promise<void> {
    await this.delete('/_sim/data');
  }

  /** Registers a webhook endpoint; the answer holds its signing `secret`, shown only here. */
  addWebhookEndpoint(url: string, enabledEvents: string[] = ['*']): Promise<WebhookEndpoint> {
    return this.post<WebhookEndpoint>('/webhook-endpoints', { url, enabledEvents });
  }
}

/** A client bound to `options.key`, or to a fresh test key. */
export function createClient(options: ClientOptions): XPaySimClient {
  return new XPaySimClient(options);
}
