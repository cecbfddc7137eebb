// The browser SDK's built files (dist/sdk, made by scripts/build-sdk.mjs from src/sdk): the runtime
// merchant pages load as /v1/sdk.js and the script of the simulator's own SDK frames. The server
// only reads and serves them; it never imports browser code.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { errors } from '../core/errors.js';
import { packageRoot } from '../spec.js';

/** The runtime's stand-in for the simulator's public URL, replaced when the script is served. */
export const BASE_URL_PLACEHOLDER = '"__XPAY_SIM_PUBLIC_URL__"';

const cache = new Map<string, string>();

function bundle(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    try {
      text = readFileSync(join(packageRoot(), 'dist', 'sdk', name), 'utf8');
    } catch {
      throw errors.code(503, 'sdk_not_built', `The browser SDK is not built (dist/sdk/${name} is missing); run "npm run build".`);
    }
    cache.set(name, text);
  }
  return text;
}

/** The runtime with this simulator's public URL baked in: a page may load it from XPay's CDN URL (routed here), so it cannot ask its own URL. */
export function sdkRuntime(publicUrl: string): string {
  return bundle('xpay-sdk.js').replace(BASE_URL_PLACEHOLDER, JSON.stringify(publicUrl));
}

export function sdkFrameScript(): string {
  return bundle('sdk-frame.js');
}
