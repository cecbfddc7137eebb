import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../../src/', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('the pay seam', () => {
  it('lets only the pay orchestrator reach the payment method families', () => {
    const offenders = sourceFiles(SRC)
      .map((f) => relative(SRC, f))
      .filter((f) => !f.startsWith('payments/methods/') && f !== 'payments/pay.ts')
      // Types (what a family decides) may be shared; code may not.
      .filter((f) => /^import (?!type )[^;]*from '[^']*methods\/[^']*'/m.test(readFileSync(join(SRC, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('keeps payments below the HTTP resource handlers', () => {
    const offenders = sourceFiles(join(SRC, 'payments'))
      .filter((f) => /from '\.\.\/(\.\.\/)?resources\//.test(readFileSync(f, 'utf8')))
      .map((f) => relative(SRC, f));
    expect(offenders).toEqual([]);
  });
});
