import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LIMIT_SPECS } from '../../src/control/limits.js';

describe('the README limits table', () => {
  it('lists every limit of src/control/limits.ts', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('### Limits'));
    expect(section.length).toBeGreaterThan(0);
    for (const name of Object.keys(LIMIT_SPECS)) expect(section, `README Limits section misses ${name}`).toContain(`| \`${name}\` |`);
  });
});
