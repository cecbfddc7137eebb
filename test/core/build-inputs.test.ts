// `npm start` rebuilds only when dist/ is missing or was built from other sources
// (scripts/build-inputs.mjs compares a hash of the inputs with the stamp the build left).
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildIsCurrent, writeStamp } from '../../scripts/build-inputs.mjs';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A project with sources and a built CLI, as after `tsc`. */
function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'xpay-sim-build-'));
  dirs.push(root);
  mkdirSync(join(root, 'src', 'http'), { recursive: true });
  mkdirSync(join(root, 'dist', 'src'), { recursive: true });
  writeFileSync(join(root, 'src', 'cli.ts'), 'export const a = 1;\n');
  writeFileSync(join(root, 'src', 'http', 'router.ts'), 'export const b = 2;\n');
  writeFileSync(join(root, 'openapi.yaml'), 'openapi: 3.1.0\n');
  writeFileSync(join(root, 'package.json'), '{}\n');
  writeFileSync(join(root, 'dist', 'src', 'cli.js'), '');
  return root;
}

describe('build staleness', () => {
  it('is stale without a stamp, current once stamped', () => {
    const root = project();
    expect(buildIsCurrent(root)).toBe(false);
    writeStamp(root);
    expect(buildIsCurrent(root)).toBe(true);
  });

  it('is stale when a source, the spec or a new file changes what would be built', () => {
    for (const change of [
      (root: string) => writeFileSync(join(root, 'src', 'http', 'router.ts'), 'export const b = 3;\n'),
      (root: string) => writeFileSync(join(root, 'openapi.yaml'), 'openapi: 3.1.1\n'),
      (root: string) => writeFileSync(join(root, 'src', 'new.ts'), ''),
      (root: string) => rmSync(join(root, 'dist', 'src', 'cli.js')),
    ]) {
      const root = project();
      writeStamp(root);
      change(root);
      expect(buildIsCurrent(root)).toBe(false);
    }
  });

  it('stays current when files are only touched (a fresh checkout), not changed', () => {
    const root = project();
    writeStamp(root);
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(root, 'src', 'cli.ts'), later, later);
    expect(buildIsCurrent(root)).toBe(true);
  });
});
