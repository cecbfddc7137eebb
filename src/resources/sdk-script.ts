// GET /v1/sdk.js: XPay's browser SDK as the simulator serves it (the page's `window.XPay`).
import type { Handler } from '../http/types.js';
import { sdkRuntime } from '../sdk-api/bundles.js';

export const getSdkScript: Handler = (ctx) => ({
  status: 200,
  headers: { 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff', 'Access-Control-Allow-Origin': '*' },
  raw: { contentType: 'application/javascript; charset=utf-8', data: sdkRuntime(ctx.sim.publicUrl) },
});
