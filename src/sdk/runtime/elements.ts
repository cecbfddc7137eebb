// xpay.elements(options) (the "classic" API) and the actions initCheckout() exposes: the session
// is read from the simulator's client endpoint; promotion codes and quantities change it there;
// submit() and confirm() go through the mounted payment element's frame.
import { TO_FRAME, type XPayErrorShape } from '../shared/protocol.js';
import { callApi, sessionPath, toSdkError } from './api.js';
import { readClientSecret, type SessionEnvelope } from './client-secret.js';
import { Listenable } from './emitter.js';
import { PaymentElement } from './payment-element.js';
import { runAction } from './action-overlay.js';

export type ActionResult = { type: 'success'; session: Record<string, any> } | { type: 'error'; error: XPayErrorShape };

export interface ElementsOptions {
  clientSecret?: string | Promise<string>;
  appearance?: unknown;
  locale?: 'en' | 'ar';
  mode?: string;
}

export interface ConfirmOptions {
  customerDetails?: Record<string, unknown>;
  redirect?: 'if_required' | 'always';
  returnUrl?: string;
}

const NOT_MOUNTED: XPayErrorShape = {
  type: 'invalid_request_error', code: 'elements_not_initialized',
  message: 'The payment element is not mounted yet: mount it and wait for its "ready" event before calling this.',
};

/** Anything thrown while loading (a bad clientSecret, an API error) in XPay's error shape. */
function asSdkError(e: unknown): XPayErrorShape {
  const x = e as Partial<XPayErrorShape> | null;
  const out: XPayErrorShape = { type: x?.type ?? 'invalid_request_error', code: x?.code ?? null, message: x?.message ?? String(e) };
  if (x?.param !== undefined) out.param = x.param;
  if (x?.docUrl !== undefined) out.docUrl = x.docUrl;
  return out;
}

export class Elements extends Listenable {
  private envelope: SessionEnvelope | null = null;
  private secret: string | null = null;
  private element: PaymentElement | null = null;
  private appearance: unknown;
  readonly loaded: Promise<SessionEnvelope>;

  constructor(readonly publishableKey: string, private readonly options: ElementsOptions) {
    super(['ready']);
    this.appearance = options.appearance;
    this.loaded = this.load();
    // Failures are reported as loaderror; a page that never awaits `loaded` must not see an unhandled rejection.
    this.loaded.catch(() => undefined);
  }

  private async load(): Promise<SessionEnvelope> {
    try {
      if (this.options.mode !== undefined && this.options.clientSecret === undefined) {
        throw { type: 'invalid_request_error', code: 'parameter_unsupported', message: 'Deferred mode (elements({mode: "payment"}) without a clientSecret) is not simulated yet; create the session first and pass its clientSecret.' };
      }
      this.secret = await readClientSecret(this.options.clientSecret);
      const answer = await callApi<SessionEnvelope>(this.publishableKey, 'GET', sessionPath(this.secret));
      if (!answer.ok) throw answer.error;
      this.envelope = answer.body;
      this.events.emit('ready', { session: answer.body.session });
      return answer.body;
    } catch (e) {
      const error = asSdkError(e);
      this.events.emit('loaderror', error);
      throw error;
    }
  }

  session(): Record<string, any> | null {
    return this.envelope?.session ?? null;
  }

  create(type: string, options: Record<string, unknown> = {}): PaymentElement {
    if (type === 'card') throw new Error('XPay: the "card" element was removed in @xpayeg/sdk 1.0.1; use create("payment").');
    if (type !== 'payment') throw new Error(`XPay: unknown element type "${type}"; the only element is "payment".`);
    return new PaymentElement({
      publishableKey: this.publishableKey,
      whenLoaded: async () => {
        const env = await this.loaded;
        return { clientSecret: this.secret!, elementUrl: env.frames.element, open: env.session.status?.type === 'open' };
      },
      appearance: () => this.appearance,
      locale: () => this.options.locale,
      attached: (el) => {
        this.element = el;
      },
    }, options);
  }

  /** Deferred mode's amount/currency changes: accepted and ignored until deferred mode is simulated (see load()). */
  update(_options: Record<string, unknown>): void {
    // Nothing to redraw: the session decides amounts.
  }

  changeAppearance(appearance: unknown): void {
    this.appearance = appearance;
    this.element?.channel()?.send(TO_FRAME.appearance, { appearance });
  }

  async submit(): Promise<{ error?: XPayErrorShape; selectedPaymentMethod?: string }> {
    const channel = this.element?.channel();
    if (!channel) return { error: NOT_MOUNTED };
    const result = await channel.request<{ error?: XPayErrorShape; selectedPaymentMethod?: string } | undefined>(TO_FRAME.submit);
    return result ?? { error: NOT_MOUNTED };
  }

  /** Re-reads the session from the simulator; never rejects and emits nothing. */
  async fetchUpdates(): Promise<ActionResult> {
    try {
      const env = await this.loaded;
      const answer = await callApi<SessionEnvelope>(this.publishableKey, 'GET', sessionPath(this.secret!));
      if (!answer.ok) return { type: 'error', error: answer.error };
      this.envelope = { ...env, ...answer.body };
      return { type: 'success', session: answer.body.session };
    } catch (e) {
      return { type: 'error', error: e as XPayErrorShape };
    }
  }

  /** A change made on the server: keeps the new session and tells `change` listeners. */
  private async mutate(method: string, path: string, body?: Record<string, unknown>): Promise<ActionResult> {
    try {
      await this.loaded;
    } catch (e) {
      return { type: 'error', error: e as XPayErrorShape };
    }
    const answer = await callApi<SessionEnvelope>(this.publishableKey, method, path, body === undefined ? undefined : { clientSecret: this.secret, ...body });
    if (!answer.ok) {
      this.events.emit('error', answer.error);
      return { type: 'error', error: answer.error };
    }
    this.adopt(answer.body.session);
    return { type: 'success', session: answer.body.session };
  }

  private adopt(session: Record<string, any>): void {
    if (this.envelope) this.envelope = { ...this.envelope, session };
    this.events.emit('change', session);
  }

  applyPromotionCode(code: string): Promise<ActionResult> {
    return this.mutate('POST', '/_sdk/checkout-session/promotion-code', { code: String(code ?? '') });
  }

  removePromotionCode(): Promise<ActionResult> {
    return this.mutate('DELETE', `/_sdk/checkout-session/promotion-code?clientSecret=${encodeURIComponent(this.secret ?? '')}`);
  }

  updateLineItemQuantity(args: { lineItem: string | { id: string }; quantity: number }): Promise<ActionResult> {
    const id = typeof args?.lineItem === 'string' ? args.lineItem : args?.lineItem?.id;
    return this.mutate('POST', `/_sdk/checkout-session/line-items/${encodeURIComponent(String(id ?? ''))}`, { quantity: args?.quantity });
  }

  async confirm(opts: ConfirmOptions = {}): Promise<ActionResult> {
    const channel = this.element?.channel();
    if (!channel) return { type: 'error', error: NOT_MOUNTED };
    const reply = await channel.request<{ status: number; body: any } | undefined>(TO_FRAME.confirm, { customerDetails: opts.customerDetails ?? null });
    if (!reply) return { type: 'error', error: NOT_MOUNTED };
    if (reply.status !== 200) return { type: 'error', error: toSdkError(reply.body, 'The payment could not be confirmed.') };
    const body = reply.body;
    if (body.outcome === 'failed') {
      this.adopt(body.session);
      return { type: 'error', error: body.error };
    }
    let redirectUrl: string | null = body.redirectUrl ?? null;
    if (body.outcome === 'requires_action') {
      const end = await runAction(body.actionUrl);
      const fresh = await this.fetchUpdates();
      if (fresh.type === 'success') this.adopt(fresh.session);
      if (!end.ok) return { type: 'error', error: end.error };
      redirectUrl = end.redirectUrl;
      if (fresh.type === 'error') return fresh;
      return this.finish(fresh.session, redirectUrl, opts);
    }
    this.adopt(body.session);
    return this.finish(body.session, redirectUrl, opts);
  }

  /** redirect "always": the page leaves for the session's redirect URL and the promise never settles, as XPay's does. */
  private finish(session: Record<string, any>, redirectUrl: string | null, opts: ConfirmOptions): Promise<ActionResult> {
    if (opts.redirect === 'always' && redirectUrl) {
      window.location.assign(redirectUrl);
      return new Promise(() => undefined);
    }
    return Promise.resolve({ type: 'success', session });
  }

  destroy(): void {
    this.element?.destroy();
    this.element = null;
    this.events.clear();
  }
}
