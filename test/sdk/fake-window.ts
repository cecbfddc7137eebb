// Just enough of a browser window for the SDK's message code: listeners, postMessage recording,
// a name, a parent, and iframes whose contentWindow is another fake window.
type Listener = (event: any) => void;

export class FakeWindow {
  readonly listeners = new Set<Listener>();
  readonly posted: Array<{ data: unknown; targetOrigin: string }> = [];
  parent: FakeWindow;
  name = '';
  readonly location: { origin: string };
  readonly document: { createElement: (tag: string) => FakeIframe };

  constructor(origin: string) {
    this.parent = this;
    this.location = { origin };
    this.document = { createElement: () => new FakeIframe() };
  }

  addEventListener(type: string, fn: Listener): void {
    if (type === 'message') this.listeners.add(fn);
  }

  removeEventListener(type: string, fn: Listener): void {
    if (type === 'message') this.listeners.delete(fn);
  }

  postMessage(data: unknown, targetOrigin: string): void {
    this.posted.push({ data, targetOrigin });
  }

  /** Delivers a message event as the browser would: data, the sender's origin and window. */
  receive(data: unknown, origin: string, source: unknown): void {
    for (const fn of [...this.listeners]) fn({ data, origin, source });
  }
}

export class FakeIframe {
  src = '';
  title = '';
  name = '';
  removed = false;
  readonly style: Record<string, string> = {};
  readonly attributes: Record<string, string> = {};
  readonly contentWindow = new FakeWindow('http://sim.test');

  setAttribute(name: string, value: string): void {
    this.attributes[name] = value;
  }

  remove(): void {
    this.removed = true;
  }
}
