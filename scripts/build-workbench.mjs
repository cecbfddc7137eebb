// Builds the Workbench (src/workbench) into dist/workbench: one script, one style sheet and the page
// that loads them, served by the simulator at /_sim/ui. Run by `npm run build` and before the tests.
import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist/workbench');

export async function buildWorkbench() {
  const common = { bundle: true, target: ['chrome100', 'firefox100', 'safari15'], charset: 'utf8', legalComments: 'none', logLevel: 'warning', minify: true };
  await mkdir(out, { recursive: true });
  await Promise.all([
    build({ ...common, format: 'iife', entryPoints: [join(root, 'src/workbench/main.ts')], outfile: join(out, 'workbench.js') }),
    build({ ...common, entryPoints: [join(root, 'src/workbench/workbench.css')], outfile: join(out, 'workbench.css') }),
    copyFile(join(root, 'src/workbench/index.html'), join(out, 'index.html')),
  ]);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildWorkbench();
