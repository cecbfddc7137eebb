#!/usr/bin/env node
// `npm start` runs this first: it builds only when dist/ is missing or older than its sources.
// "Older" means the content of the inputs changed (a hash, not file times, so a fresh checkout
// or a `touch` does not force a rebuild). `npm run build` ends with `--stamp`, recording the hash.
//   node scripts/build-if-stale.mjs          build if stale, else say it is up to date
//   node scripts/build-if-stale.mjs --stamp  record the current inputs as built
//   node scripts/build-if-stale.mjs --check  exit 0 when up to date, 1 when stale
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildIsCurrent, writeStamp } from './build-inputs.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const mode = process.argv[2];

if (mode === '--stamp') {
  writeStamp(root);
} else if (mode === '--check') {
  process.exit(buildIsCurrent(root) ? 0 : 1);
} else if (buildIsCurrent(root)) {
  process.stdout.write('xpay-sim: build is up to date (dist/), not rebuilding\n');
} else {
  process.stdout.write('xpay-sim: build is missing or stale, building (npm run build)…\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const built = spawnSync(npm, ['run', 'build'], { cwd: root, stdio: 'inherit' });
  process.exit(built.status ?? 1);
}
