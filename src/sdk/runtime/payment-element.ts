// elements.create("payment"): the card frame mounted into the merchant page. Events: loaderstart
// (synchronously at mount), ready (replayed to late listeners), change {complete, value:{type}},
// loaderror. The frame does the card work; this side only relays.
import { FROM_FRAME, TO_FRAME, type Message } from '../shared/protocol.js';
import { resolveContainer } from './dom.js';
import { Listenable } from './emitter.js';
import { createFrame, type FrameChannel } from './frame-channel.js';

export interface ElementHost {
  publishableKey: string;
  /** Resolves with the frame URL and credentials once the session is loaded; rejects when it cannot be. */
  whenLoaded(): Promise<{ clientSecret: string; elementUrl: string; open: boolean }>;
  appearance(): unknown;
  locale(): unknown;
  attached(element: PaymentElement | null): void;
}

export class PaymentElement extends Listenable {
  private frame: FrameChannel | null = null;
  private ready = false;
  private destroyed = false;
  private mountCount = 0;

  constructor(private readonly host: ElementHost, private options: Record<string, unknown> = {}) {
    super(['ready']);
  }

  update(options: Record<string, unknown>): void {
    this.options = { ...this.options, ...options };
  }

  mount(target: string | HTMLElement): void {
    if (this.destroyed) throw new Error('XPay: this payment element was destroyed; create a new one.');
    if (this.frame) throw new Error('XPay: this payment element is already mounted; unmount() it first.');
    const container = resolveContainer(target);
    const attempt = ++this.mountCount;
    this.events.emit('loaderstart', { elementType: 'payment' });
    this.host.whenLoaded().then(
      (loaded) => {
        if (attempt !== this.mountCount || this.destroyed) return;
        if (!loaded.open) {
          this.events.emit('loaderror', { elementType: 'payment', error: { type: 'invalid_request_error', code: 'checkout_session_expired', message: 'This checkout session can no longer be paid.' } });
          return;
        }
        const locale = this.host.locale();
        const src = loaded.elementUrl + (locale === 'en' || locale === 'ar' ? `&locale=${locale}` : '');
        this.frame = createFrame(src, 'Secure payment input', (m) => this.onFrame(m, loaded.clientSecret));
        this.frame.iframe.style.height = '320px';
        container.appendChild(this.frame.iframe);
        this.host.attached(this);
      },
      (error) => this.events.emit('loaderror', { elementType: 'payment', error }),
    );
  }

  private onFrame(m: Message, clientSecret: string): void {
    if (m.type === FROM_FRAME.elementReady) {
      this.frame?.send(TO_FRAME.init, { publishableKey: this.host.publishableKey, clientSecret, appearance: this.host.appearance() });
      this.ready = true;
      this.events.emit('ready', { elementType: 'payment' });
    } else if (m.type === FROM_FRAME.elementChange) {
      this.events.emit('change', { elementType: 'payment', complete: !!m.payload?.complete, empty: !!m.payload?.empty, value: { type: m.payload?.value?.type ?? 'card' } });
    }
  }

  /** The frame's request channel, once the frame said it is ready (the actions need it). */
  channel(): FrameChannel | null {
    return this.ready ? this.frame : null;
  }

  unmount(): void {
    this.mountCount++;
    this.frame?.destroy();
    this.frame = null;
    this.ready = false;
    this.host.attached(null);
  }

  destroy(): void {
    this.unmount();
    this.destroyed = true;
    this.events.clear();
  }
}
