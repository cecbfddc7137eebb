// A webhook receiver on 127.0.0.1 for tests. It checks XPay-Signature with its own reading of the
// documented scheme (node:crypto HMAC + timingSafeEqual), independent of src/webhooks/signer.ts.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
  body: any;
  verified: boolean;
  answered: number;
}

/** Verifies `t=<unix>,v1=<hex>` over `<t>.<raw body>`; `nowSec` bounds the 300 s tolerance. */
export function verifyXPaySignature(secret: string, header: string | undefined, raw: string, nowSec: number, toleranceSec = 300): boolean {
  if (!header) return false;
  const parts = new Map<string, string[]>();
  for (const piece of header.split(',')) {
    const eq = piece.indexOf('=');
    if (eq <= 0) return false;
    const k = piece.slice(0, eq).trim();
    parts.set(k, [...(parts.get(k) ?? []), piece.slice(eq + 1).trim()]);
  }
  const t = parts.get('t')?.[0];
  const v1s = parts.get('v1') ?? [];
  if (!t || !/^\d+$/.test(t) || v1s.length === 0) return false;
  if (Math.abs(nowSec - Number(t)) > toleranceSec) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${raw}`, 'utf8').digest('hex'), 'utf8');
  return v1s.some((v) => {
    const given = Buffer.from(v, 'utf8');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Status to answer next (a queue; after it runs out, `defaultStatus`). */
  script: number[];
  defaultStatus: number;
  secret: string | undefined;
  /** Unix seconds the receiver believes it is (the simulator's frozen clock in tests). */
  nowSec: () => number;
  /** Milliseconds to wait before answering (a slow receiver). */
  delayMs: number;
  /** Never answer (a hanging receiver), always or for the paths the function picks; requests are still recorded. */
  hang: boolean | ((path: string) => boolean);
  /** Requests that have arrived and not been answered yet. */
  open: number;
  close(): Promise<void>;
}

export async function startReceiver(options: { secret?: string; nowSec: () => number; defaultStatus?: number; delayMs?: number; hang?: Receiver['hang'] }): Promise<Receiver> {
  const receiver: Receiver = {
    url: '',
    received: [],
    script: [],
    defaultStatus: options.defaultStatus ?? 200,
    secret: options.secret,
    nowSec: options.nowSec,
    delayMs: options.delayMs ?? 0,
    hang: options.hang ?? false,
    open: 0,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const verified = receiver.secret !== undefined && verifyXPaySignature(receiver.secret, req.headers['xpay-signature'] as string | undefined, raw, receiver.nowSec());
      let status = receiver.script.shift() ?? receiver.defaultStatus;
      if (receiver.secret !== undefined && !verified) status = 401;
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        status = 400;
      }
      receiver.received.push({ headers: req.headers, raw, body, verified, answered: status });
      if (receiver.hang === true || (typeof receiver.hang === 'function' && receiver.hang(req.url ?? '/'))) {
        receiver.open++;
        return;
      }
      const answer = () => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(status < 300 ? { received: true } : { error: `answered ${status}` }));
      };
      if (receiver.delayMs > 0) {
        receiver.open++;
        setTimeout(() => {
          receiver.open--;
          answer();
        }, receiver.delayMs);
      } else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return receiver;
}
