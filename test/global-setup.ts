// Runs once per `vitest run`, before any test file: builds the browser SDK and the Workbench (so a
// fresh clone serves /v1/sdk.js and /_sim/ui without a separate build step) and says once, not once per file, when XPay's contract
// is absent, so responses are checked against openapi.yaml only.
import { existsSync } from 'node:fs';
import { buildSdk } from '../scripts/build-sdk.mjs';
import { buildWorkbench } from '../scripts/build-workbench.mjs';
import { XPAY_CONTRACT_PATH } from './helpers/contract-path.js';

export default async function setup(): Promise<void> {
  if (!existsSync(XPAY_CONTRACT_PATH)) {
    process.stdout.write(`[contract] XPay's contract not found at ../shared/xpay-openapi.json: responses are checked against openapi.yaml only.\n`);
  }
  await Promise.all([buildSdk(), buildWorkbench()]);
}
