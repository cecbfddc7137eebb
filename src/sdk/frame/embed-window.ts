// The drop-in window (the embedded checkout page and its 3-D Secure step): tells the merchant page
// it is ready, its height, when the shopper pressed Pay, and how the attempt ended.
import { FROM_FRAME, TO_FRAME } from '../shared/protocol.js';
import { applyAppearance, reportHeight, type Bridge } from './bridge.js';

export interface EmbedState {
  state: string;
  error?: unknown;
  sessionId?: string;
  paymentIntentId?: string | null;
  redirectUrl?: string | null;
  paymentStatus?: string;
}

export function runEmbedWindow(doc: Document, bridge: Bridge, state: EmbedState): void {
  bridge.onMessage((m) => {
    if (m.type === TO_FRAME.appearance) applyAppearance(doc, m.payload?.appearance);
  });
  reportHeight(doc, (height) => bridge.post(FROM_FRAME.resize, { height }));
  bridge.post(FROM_FRAME.ready, { state: state.state });
  if (state.state === 'complete') {
    bridge.post(FROM_FRAME.success, {
      sessionId: state.sessionId, paymentIntentId: state.paymentIntentId ?? null, redirectUrl: state.redirectUrl ?? null, paymentStatus: state.paymentStatus,
    });
  } else if (state.state === 'failed') {
    bridge.post(FROM_FRAME.error, { error: state.error });
  } else if (state.state === 'expired') {
    bridge.post(FROM_FRAME.error, { error: { type: 'invalid_request_error', code: 'checkout_session_expired', message: 'This checkout session has expired.' } });
  }
  // Escape with the focus inside the window: the SDK closes the modal if it may (inline ignores it).
  doc.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') bridge.post(FROM_FRAME.close);
  });
  // The pay button (not the promotion code or quantity buttons, which carry their own formaction).
  doc.addEventListener('submit', (event) => {
    const submitter = (event as SubmitEvent).submitter;
    const form = event.target as HTMLFormElement;
    if (!form.classList.contains('layout') || submitter?.hasAttribute('formaction')) return;
    bridge.post(FROM_FRAME.confirmed);
  });
}
