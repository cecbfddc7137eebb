// Builds the browser SDK once before the tests, so a fresh clone serves /v1/sdk.js without a separate build step.
import { buildSdk } from '../scripts/build-sdk.mjs';

export default async function setup(): Promise<void> {
  await buildSdk();
}
