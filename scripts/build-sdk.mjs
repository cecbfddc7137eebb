// Builds the browser SDK (src/sdk) into dist/sdk: the runtime served as /v1/sdk.js and the script
// of the simulator's SDK frames. Run by `npm run build` and before the tests (vitest globalSetup).
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function buildSdk() {
  const common = { bundle: true, format: 'iife', target: ['chrome100', 'firefox100', 'safari15'], charset: 'utf8', legalComments: 'none', logLevel: 'warning' };
  await Promise.all([
    build({ ...common, entryPoints: [join(root, 'src/sdk/runtime/index.ts')], outfile: join(root, 'dist/sdk/xpay-sdk.js') }),
    build({ ...common, entryPoints: [join(root, 'src/sdk/frame/index.ts')], outfile: join(root, 'dist/sdk/sdk-frame.js') }),
  ]);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildSdk();
