// An iframe on the simulator's origin and the messages to and from it: only messages from that
// very frame window and the simulator's origin are read; replies are matched by request id.
import { FRAME_NAME_PREFIX, FROM_FRAME, isMessage, message, type Message } from '../shared/protocol.js';
import { simOrigin } from './config.js';

export interface FrameChannel {
  iframe: HTMLIFrameElement;
  send(type: string, payload?: unknown): void;
  request<T>(type: string, payload?: Record<string, unknown>): Promise<T>;
  destroy(): void;
}

let nextId = 1;

export function createFrame(src: string, title: string, onMessage: (m: Message) => void, win: Window = window, origin: string = simOrigin()): FrameChannel {
  const doc = win.document;
  const iframe = doc.createElement('iframe');
  iframe.src = src;
  iframe.title = title;
  // The frame reads the page's origin from its name, so it posts to this page only.
  iframe.name = FRAME_NAME_PREFIX + win.location.origin;
  iframe.setAttribute('allow', 'payment');
  iframe.style.cssText = 'border:0;width:100%;display:block;background:transparent';
  const pending = new Map<number, (value: any) => void>();
  const listener = (event: MessageEvent) => {
    if (event.origin !== origin || event.source !== iframe.contentWindow || !isMessage(event.data)) return;
    const m = event.data;
    if (m.type === FROM_FRAME.reply && pending.has(m.payload?.id)) {
      const resolve = pending.get(m.payload.id)!;
      pending.delete(m.payload.id);
      resolve(m.payload.result);
      return;
    }
    if (m.type === FROM_FRAME.resize && typeof m.payload?.height === 'number') iframe.style.height = `${m.payload.height}px`;
    onMessage(m);
  };
  win.addEventListener('message', listener);
  const send = (type: string, payload?: unknown) => iframe.contentWindow?.postMessage(message(type, payload), origin);
  return {
    iframe,
    send,
    request: (type, payload = {}) =>
      new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, resolve);
        send(type, { ...payload, id });
      }),
    destroy() {
      win.removeEventListener('message', listener);
      iframe.remove();
      // Whoever waits on a removed frame hears `undefined` (the element is gone) instead of waiting forever.
      for (const resolve of pending.values()) resolve(undefined);
      pending.clear();
    },
  };
}
