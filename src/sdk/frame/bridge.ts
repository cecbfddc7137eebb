// Talking to the merchant page from inside a simulator frame: only to the origin named in the
// window name, only to the parent window, and reading only messages the parent sent.
import { isMessage, message, parentOriginFromName, type Message } from '../shared/protocol.js';
import { appearanceVariables } from '../shared/appearance.js';

export interface Bridge {
  post(type: string, payload?: unknown): void;
  onMessage(listener: (m: Message) => void): void;
}

export function createBridge(win: Window = window): Bridge {
  const origin = parentOriginFromName(win.name);
  const parent = win.parent !== win ? win.parent : null;
  return {
    post(type, payload) {
      if (parent && origin) parent.postMessage(message(type, payload), origin);
    },
    onMessage(listener) {
      win.addEventListener('message', (event: MessageEvent) => {
        if (!parent || event.source !== parent || event.origin !== origin || !isMessage(event.data)) return;
        listener(event.data);
      });
    },
  };
}

/** The page's height as laid out, not the frame's (body never stretches to the frame in SDK windows). */
export function contentHeight(doc: Document = document): number {
  return Math.ceil(doc.body.getBoundingClientRect().height);
}

/** Reports the height now and whenever the content changes size. */
export function reportHeight(doc: Document, send: (height: number) => void): void {
  let last = -1;
  const measure = () => {
    const height = contentHeight(doc);
    if (height !== last) send((last = height));
  };
  measure();
  new ResizeObserver(measure).observe(doc.body);
}

export function applyAppearance(doc: Document, appearance: unknown): void {
  for (const [name, value] of Object.entries(appearanceVariables(appearance))) doc.body.style.setProperty(name, value);
}
