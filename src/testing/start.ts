// `startSimulator` for code that imports xpay-sim: an in-process simulator on a free 127.0.0.1
// port, with clients bound to fresh keys. The CLI's options, in their JavaScript form.
import { startSimulator as startServer } from '../server.js';
import type { SimulatorOptions } from '../config.js';
import { createClient, type XPaySimClient } from './client.js';

export interface StartOptions extends Omit<SimulatorOptions, 'now'> {
  /** Freeze the clock at this instant (ISO string, Date or ms); implies `clockMode: 'frozen'` unless set. */
  now?: string | number | Date;
}

export interface Simulator {
  /** Base URL, e.g. `http://127.0.0.1:41234`: give it to your code as XPAY_API_URL. */
  readonly url: string;
  /** A client bound to `key`, or to a fresh test key (a namespace of its own). */
  client(key?: string): XPaySimClient;
  /** Every namespace back to the fixtures. */
  reset(): void;
  /** Stops listening and releases the `--data` file, if any. */
  close(): Promise<void>;
}

function instant(now: StartOptions['now']): number | undefined {
  if (now === undefined) return undefined;
  const ms = now instanceof Date ? now.getTime() : typeof now === 'number' ? now : Date.parse(now);
  if (!Number.isFinite(ms)) throw new TypeError(`startSimulator: now must be an ISO instant, a Date or milliseconds, got ${String(now)}`);
  return ms;
}

/** Starts a simulator; defaults to port 0 (a free port) on 127.0.0.1. */
export async function startSimulator(options: StartOptions = {}): Promise<Simulator> {
  const now = instant(options.now);
  const running = await startServer({
    port: 0,
    host: '127.0.0.1',
    ...options,
    now,
    clockMode: options.clockMode ?? (now === undefined ? 'real' : 'frozen'),
  });
  return {
    url: running.url,
    client: (key) => createClient({ url: running.url, key }),
    reset: () => running.sim.reset(),
    close: () => running.close(),
  };
}
