// Debian's Chromium for the browser tests (XPAY_SIM_CHROMIUM points elsewhere on other systems).
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.XPAY_SIM_CHROMIUM || '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
// Every browser test file imports this: a skip always says why.
if (!hasChromium) console.log(`[browser tests SKIPPED] ${CHROMIUM} not found; install it with: apt-get install -y chromium (or set XPAY_SIM_CHROMIUM)`);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}
