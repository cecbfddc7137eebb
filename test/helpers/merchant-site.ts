// A merchant's web site for the SDK browser tests: its own origin on 127.0.0.1 (another port than
// the simulator's), serving the pages a test writes and a landing page for redirects.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MerchantSite {
  url: string;
  /** Serves `html` at `path` and returns its full URL. */
  page(path: string, html: string): string;
  close(): Promise<void>;
}

export async function startMerchantSite(): Promise<MerchantSite> {
  const pages = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const html = pages.get(path) ?? `<!doctype html><title>Merchant</title><h1>Order received</h1><p id="url">${(req.url ?? '').replace(/[<>&"]/g, '')}</p>`;
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    page(path, html) {
      pages.set(path, html);
      return url + path;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A merchant page as an integrator writes it against XPay's documented SDK: the script tag, a
 * container, and the page's own code. Callbacks record into `window.log` for the test to read.
 */
export function merchantPage(sdkSrc: string, code: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Shop</title>
<script src="${sdkSrc}"></script></head>
<body><h1>Shop</h1><div id="checkout"></div><div id="payment-element"></div>
<script>window.log = []; const note = (name, value) => window.log.push({ name, value: value === undefined ? null : JSON.parse(JSON.stringify(value)) });
${code}
</script></body></html>`;
}
