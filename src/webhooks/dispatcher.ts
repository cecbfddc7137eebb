// Sends one webhook attempt over HTTP: POST of the exact bytes, keep-alive agents shared by all
// deliveries of a simulator, 30 s limit, and a ≤ 1 KB excerpt of whatever the receiver answered.
import http from 'node:http';
import https from 'node:https';

export const DELIVERY_TIMEOUT_MS = 30_000;
export const RESPONSE_EXCERPT_BYTES = 1024;
export const USER_AGENT = 'XPay-Webhooks/3.1.0 (xpay-sim)';

export interface AttemptOutcome {
  status: number | null;
  body: string | null;
  latencyMs: number;
  error: string | null;
}

/** One pair of keep-alive agents per simulator, so fan-out reuses sockets instead of reconnecting. */
export class Dispatcher {
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  private readonly httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 64 });

  post(url: string, headers: Record<string, string>, body: string, timeoutMs = DELIVERY_TIMEOUT_MS): Promise<AttemptOutcome> {
    const started = performance.now();
    const done = (status: number | null, text: string | null, error: string | null): AttemptOutcome => ({
      status,
      body: text,
      latencyMs: Math.round((performance.now() - started) * 10) / 10,
      error,
    });
    return new Promise((resolve) => {
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        resolve(done(null, null, `invalid URL: ${url}`));
        return;
      }
      const secure = target.protocol === 'https:';
      const client = secure ? https : http;
      let settled = false;
      const finish = (outcome: AttemptOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      };
      const req = client.request(
        target,
        {
          method: 'POST',
          agent: secure ? this.httpsAgent : this.httpAgent,
          headers: { ...headers, 'Content-Length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          let kept = 0;
          res.on('data', (chunk: Buffer) => {
            if (kept >= RESPONSE_EXCERPT_BYTES) return; // keep reading so the socket can be reused
            const part = chunk.subarray(0, RESPONSE_EXCERPT_BYTES - kept);
            chunks.push(part);
            kept += part.length;
          });
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            const ok = status >= 200 && status < 300;
            finish(done(status, Buffer.concat(chunks).toString('utf8'), ok ? null : `HTTP ${status}`));
          });
          res.on('error', (e) => finish(done(res.statusCode ?? null, null, describe(e))));
        },
      );
      const timer = setTimeout(() => req.destroy(new Error(`no response within ${timeoutMs / 1000} s`)), timeoutMs);
      timer.unref();
      req.on('error', (e) => finish(done(null, null, describe(e))));
      req.end(body);
    });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

function describe(e: Error & { code?: string }): string {
  return e.code ? `${e.code}: ${e.message}` : e.message;
}
