// The SDK's own overlay for a payment action (3-D Secure): the challenge page of the simulator in
// an iframe; it resolves once that window reports how the challenge ended.
import { FROM_FRAME, type XPayErrorShape } from '../shared/protocol.js';
import { createOverlay } from './dom.js';
import { createFrame } from './frame-channel.js';

export type ActionEnd = { ok: true; redirectUrl: string | null } | { ok: false; error: XPayErrorShape };

export function runAction(url: string): Promise<ActionEnd> {
  return new Promise((resolve) => {
    const overlay = createOverlay({ label: '3-D Secure', width: '520px' });
    const frame = createFrame(url, '3-D Secure', (m) => {
      if (m.type === FROM_FRAME.success) finish({ ok: true, redirectUrl: m.payload?.redirectUrl ?? null });
      else if (m.type === FROM_FRAME.error) finish({ ok: false, error: m.payload?.error });
    });
    frame.iframe.style.height = '420px';
    overlay.panel.appendChild(frame.iframe);
    function finish(end: ActionEnd): void {
      frame.destroy();
      overlay.remove();
      resolve(end);
    }
  });
}
