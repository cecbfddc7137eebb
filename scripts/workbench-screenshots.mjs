// Regenerates the README's Workbench screenshots (docs/images/workbench-*.png): a simulator with a
// paid, a declined and a refunded session and a webhook receiver, shown in Chromium at 1280 px.
//   npx tsx scripts/workbench-screenshots.mjs      (needs Chromium: XPAY_SIM_CHROMIUM or /usr/bin/chromium)
import { createServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { buildWorkbench } from './build-workbench.mjs';
import { startSimulator } from '../src/server.ts';

const root = join(fileURLToPath(new URL('..', import.meta.url)));
const KEY = 'sk_test_workbench_demo';

async function call(url, method, path, body) {
  const res = await fetch(url + path, { method, headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
  return res.json();
}

await buildWorkbench();
const receiver = createServer((req, res) => req.resume().on('end', () => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"received":true}')));
await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
const sim = await startSimulator({ port: 0, host: '127.0.0.1', seed: 'screenshots', clockMode: 'frozen', now: Date.parse('2026-03-01T10:00:00Z') });
const api = (method, path, body) => call(sim.url, method, path, body);
try {
  await api('POST', '/webhook-endpoints', { url: `http://127.0.0.1:${receiver.address().port}/hooks`, enabledEvents: ['*'] });
  const pay = async (number, email) => {
    const s = await api('POST', '/checkout/sessions', { afterCompletion: { type: 'hosted_confirmation' }, lineItems: [{ price: 'price_tshirt_egp', quantity: 2 }] });
    return api('POST', `/_sim/checkout/sessions/${s.id}/pay`, { card: { number, exp: '01/39', cvc: '100', name: 'Mona Adel' }, customerDetails: { email, name: 'Mona Adel' } });
  };
  await pay('4000000000009995', 'mona@example.com');
  const paid = await pay('4242424242424242', 'amina@example.com');
  await api('POST', '/refunds', { paymentIntentId: paid.paymentIntent.id, amount: 20000, reason: 'REQUESTED_BY_CUSTOMER' });
  await api('POST', '/checkout/sessions', { afterCompletion: { type: 'hosted_confirmation' }, lineItems: [{ price: 'price_tshirt_egp', quantity: 1 }] });
  await new Promise((r) => setTimeout(r, 500)); // let the webhook attempts land
  const events = await api('GET', '/_sim/events?type=checkout.session.completed');

  const browser = await chromium.launch({ executablePath: process.env.XPAY_SIM_CHROMIUM || '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
  await page.addInitScript((key) => sessionStorage.setItem('xpay-sim.workbench.key', key), KEY);
  await page.goto(`${sim.url}/_sim/ui#/payments/${paid.paymentIntent.id}`);
  await page.getByRole('heading', { name: 'Status history' }).waitFor();
  await page.screenshot({ path: join(root, 'docs/images/workbench-payments.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(`${sim.url}/_sim/ui#/events/${events.data[0].id}`);
  await page.getByRole('heading', { name: 'Webhook deliveries' }).waitFor();
  await page.getByText('Request sent (headers and body)').first().click();
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(root, 'docs/images/workbench-events.png') });
  await browser.close();
  process.stdout.write('wrote docs/images/workbench-payments.png and docs/images/workbench-events.png\n');
} finally {
  await sim.close();
  receiver.close();
}
