// Screenshots of the hosted checkout for the README: a decline in English at laptop width (the
// whole page) and the same decline in Arabic at phone width (the screen the page lands on). Run with `npx tsx scripts/screenshots.mjs [outDir]`
// (tsx loads the TypeScript sources); needs Chromium (XPAY_SIM_CHROMIUM, else /usr/bin/chromium).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startSimulator } from '../src/server.ts';

const outDir = process.argv[2] ?? 'docs/images';
const KEY = 'sk_test_readme_screenshots';
const DECLINED_CARD = '4000 0000 0000 9995';

/** A session asking for the details a Cairo shop usually asks for. */
async function createSession(baseUrl, locale) {
  const res = await fetch(`${baseUrl}/checkout/sessions`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      locale,
      nameCollection: true,
      phoneNumberCollection: true,
      billingAddressCollection: true,
      allowPromotionCodes: true,
      cancelUrl: 'https://shop.example/cart',
      afterCompletion: { type: 'redirect', redirect: { url: 'https://shop.example/done' } },
      lineItems: [
        { priceData: { currency: 'EGP', unitAmount: 149900, productData: { name: 'Nile Linen Shirt' } }, quantity: 1, adjustableQuantity: { enabled: true, maximum: 5 } },
        { priceData: { currency: 'EGP', unitAmount: 35000, productData: { name: 'Cairo Roast Coffee Beans' } }, quantity: 2 },
      ],
    }),
  });
  if (res.status !== 201) throw new Error(`session create failed: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Fills the form by its field names (labels differ per locale) and pays with a declining card. */
async function declineOnce(page) {
  const fill = (name, value) => page.locator(`[name="${name}"]`).fill(value);
  await fill('email', 'amina@example.com');
  await fill('name', 'Amina Hassan');
  await fill('phone', '+20 100 000 0000');
  await fill('billing_line1', '12 Talaat Harb St');
  await fill('billing_city', 'Cairo');
  await fill('billing_country', 'EG');
  await fill('cardName', 'Amina Hassan');
  await fill('cardNumber', DECLINED_CARD);
  await fill('cardExp', '01 / 39');
  await fill('cardCvc', '100');
  await page.locator('button.pay').click();
  await page.getByRole('alert').first().waitFor();
}

const shots = [
  { file: 'checkout-en-1280.png', locale: 'en', width: 1280, height: 800, fullPage: true },
  { file: 'checkout-ar-390.png', locale: 'ar', width: 390, height: 844 },
];

mkdirSync(outDir, { recursive: true });
const running = await startSimulator({ port: 0, host: '127.0.0.1', seed: 'readme', now: Date.parse('2026-03-01T10:00:00.000Z'), clockMode: 'frozen' });
const browser = await chromium.launch({
  executablePath: process.env.XPAY_SIM_CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  for (const shot of shots) {
    const session = await createSession(running.url, shot.locale);
    const page = await browser.newPage({ viewport: { width: shot.width, height: shot.height } });
    await page.goto(session.url);
    await declineOnce(page);
    await page.screenshot({ path: join(outDir, shot.file), fullPage: shot.fullPage ?? false });
    await page.close();
    console.log(`wrote ${join(outDir, shot.file)}`);
  }
} finally {
  await browser.close();
  await running.close();
}
