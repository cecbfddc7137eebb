// xpay.checkout(options): the drop-in. Both modes show the simulator's embedded checkout page in
// an iframe: "modal" in an overlay opened by open(), "inline" mounted into `container` at once and
// sized to its content. The window tells the page what happens (ready, confirmed, success, error);
// the page, not the frame, navigates after onComplete.
import { FROM_FRAME, TO_FRAME, type Message, type XPayErrorShape } from '../shared/protocol.js';
import { callApi, sessionPath } from './api.js';
import { readClientSecret, type SessionEnvelope } from './client-secret.js';
import { createOverlay, resolveContainer, type Overlay } from './dom.js';
import { createFrame, type FrameChannel } from './frame-channel.js';

export interface CheckoutOptions {
  clientSecret: string | Promise<string>;
  mode?: 'modal' | 'inline';
  container?: string | HTMLElement;
  locale?: 'en' | 'ar';
  appearance?: unknown;
  onReady?: (session: unknown) => void;
  onConfirmed?: () => void;
  onComplete?: (result: unknown) => void;
  onClose?: () => void;
  onError?: (error: XPayErrorShape) => void;
}

export interface CheckoutInstance {
  open(): void;
  close(): void;
  destroy(): void;
  isMounted(): boolean;
}

function call<A extends unknown[]>(fn: ((...args: A) => void) | undefined, ...args: A): void {
  if (typeof fn !== 'function') return;
  try {
    fn(...args);
  } catch (e) {
    setTimeout(() => {
      throw e;
    });
  }
}

function frameSrc(env: SessionEnvelope, locale: unknown): string {
  return env.frames.checkout + (locale === 'en' || locale === 'ar' ? `&locale=${locale}` : '');
}

export function createCheckout(pk: string, options: CheckoutOptions): CheckoutInstance {
  if (!options || typeof options !== 'object') throw new Error('XPay: checkout() needs an options object with a clientSecret.');
  const mode = options.mode ?? 'modal';
  if (mode !== 'modal' && mode !== 'inline') throw new Error('XPay: checkout mode must be "modal" or "inline".');
  const inlineContainer = mode === 'inline' ? resolveContainer(options.container) : null;
  let destroyed = false;
  let closable = true;
  let readyFired = false;
  let wantOpen = false;
  let frame: FrameChannel | null = null;
  let overlay: Overlay | null = null;
  let envelope: SessionEnvelope | null = null;

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') requestClose();
  };

  function teardownModal(): void {
    document.removeEventListener('keydown', onKey);
    frame?.destroy();
    frame = null;
    overlay?.remove();
    overlay = null;
  }

  function requestClose(): void {
    if (!overlay || !closable) return;
    teardownModal();
    call(options.onClose);
  }

  function onFrameMessage(m: Message): void {
    switch (m.type) {
      case FROM_FRAME.ready:
        // Any page the window loads ends what came before, except a 3-D Secure step still confirming.
        closable = m.payload?.state !== 'challenge';
        if (options.appearance) frame?.send(TO_FRAME.appearance, { appearance: options.appearance });
        if (!readyFired && envelope) {
          readyFired = true;
          call(options.onReady, envelope.session);
        }
        break;
      case FROM_FRAME.confirmed:
        closable = false;
        call(options.onConfirmed);
        break;
      case FROM_FRAME.success:
        closable = true;
        // A paid order closes the modal; one completed unpaid (a kiosk reference to pay later) stays
        // open so the shopper can read the reference, and closes with the close button.
        if (overlay && m.payload?.paymentStatus !== 'unpaid') teardownModal();
        call(options.onComplete, m.payload);
        break;
      case FROM_FRAME.error:
        closable = true;
        call(options.onError, m.payload?.error);
        break;
      case FROM_FRAME.close:
        requestClose();
        break;
    }
  }

  function mountFrame(into: HTMLElement): void {
    frame = createFrame(frameSrc(envelope!, options.locale), 'XPay checkout', onFrameMessage);
    frame.iframe.style.height = mode === 'inline' ? '480px' : 'min(720px, 85vh)';
    into.appendChild(frame.iframe);
  }

  function showModal(): void {
    if (destroyed || overlay || !envelope) return;
    overlay = createOverlay({ label: 'Checkout', onBackdrop: requestClose, closeButton: requestClose });
    mountFrame(overlay.panel);
    document.addEventListener('keydown', onKey);
  }

  const loading = (async () => {
    try {
      const secret = await readClientSecret(options.clientSecret);
      const answer = await callApi<SessionEnvelope>(pk, 'GET', sessionPath(secret));
      if (!answer.ok) return call(options.onError, answer.error);
      if (destroyed) return;
      envelope = answer.body;
      const status = envelope.session.status?.type;
      if (status !== 'open') {
        const code = status === 'expired' ? 'checkout_session_expired' : 'payment_already_completed';
        return call(options.onError, { type: 'invalid_request_error', code, message: status === 'expired' ? 'This checkout session has expired.' : 'This checkout session is already complete.' });
      }
      if (inlineContainer) mountFrame(inlineContainer);
      else if (wantOpen) showModal();
    } catch (e) {
      call(options.onError, { type: (e as any)?.type ?? 'invalid_request_error', code: (e as any)?.code ?? null, message: (e as Error)?.message ?? String(e) });
    }
  })();
  void loading;

  return {
    open() {
      if (destroyed || mode !== 'modal') return;
      wantOpen = true;
      showModal();
    },
    close() {
      wantOpen = false;
      requestClose();
    },
    destroy() {
      destroyed = true;
      // destroy() ignores the closable lock: the page is going away.
      teardownModal();
    },
    isMounted: () => !!frame && frame.iframe.isConnected,
  };
}
