// on/off listeners per event name. Unknown names are accepted and never fire (as XPay's SDK);
// `sticky` events (ready) are replayed to listeners that register after they fired.
type Listener = (payload: any) => void;

export class Emitter {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly fired = new Map<string, unknown>();

  constructor(private readonly sticky: readonly string[] = []) {}

  on(name: string, fn: Listener): void {
    if (typeof fn !== 'function') return;
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(fn);
    if (this.fired.has(name)) queueMicrotask(() => set!.has(fn) && fn(this.fired.get(name)));
  }

  off(name: string, fn?: Listener): void {
    if (fn) this.listeners.get(name)?.delete(fn);
    else this.listeners.delete(name);
  }

  emit(name: string, payload?: unknown): void {
    if (this.sticky.includes(name)) this.fired.set(name, payload);
    for (const fn of [...(this.listeners.get(name) ?? [])]) {
      try {
        fn(payload);
      } catch (e) {
        // A merchant's listener that throws must not stop the others or the SDK.
        setTimeout(() => {
          throw e;
        });
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}

/** What the SDK's objects with events (Elements, the payment element) share: on/off, chainable. */
export class Listenable {
  protected readonly events: Emitter;

  constructor(sticky: readonly string[] = []) {
    this.events = new Emitter(sticky);
  }

  on(name: string, fn: (payload: any) => void): this {
    this.events.on(name, fn);
    return this;
  }

  off(name: string, fn?: (payload: any) => void): this {
    this.events.off(name, fn);
    return this;
  }
}
