// The Workbench's one catalogue: Arabic has every English message with the same placeholders, and
// every message key the browser code names exists (a missing one would show as a raw key).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../src/workbench/i18n.js';

const SOURCE = join(import.meta.dirname, '../../src/workbench');
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

function sourceFiles(): string[] {
  return readdirSync(SOURCE, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.ts'))
    .map((d) => join(d.parentPath, d.name));
}

/** Keys the code passes to t(), and the message keys it hands to helpers (labels, captions, empty states). */
function keysUsed(): Set<string> {
  const used = new Set<string>();
  const patterns = [/\bt\('(\w+)'/g, /\b(?:label|caption|title|hint): '(\w+)'/g, /\bempty\('(\w+)', '(\w+)'\)/g, /emptyText: \['(\w+)', '(\w+)'\]/g];
  for (const file of sourceFiles()) {
    const text = readFileSync(file, 'utf8');
    for (const pattern of patterns) for (const m of text.matchAll(pattern)) for (const key of m.slice(1)) if (key) used.add(key);
  }
  return used;
}

describe('the Workbench catalogue', () => {
  it('has every English message in Arabic, non-empty, with the same placeholders, and nothing extra', () => {
    const { en, ar } = CATALOGUE;
    expect(Object.keys(ar).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(en)) {
      const arabic = ar[key as keyof typeof en];
      expect(arabic.trim(), key).not.toBe('');
      expect(placeholders(arabic), key).toEqual(placeholders(text));
    }
  });

  it('holds every key the browser code uses', () => {
    // Column labels that are field names (id) are shown as they are, not translated.
    const missing = [...keysUsed()].filter((key) => key !== 'id' && !(key in CATALOGUE.en));
    expect(keysUsed().size).toBeGreaterThan(100);
    expect(missing).toEqual([]);
  });
});
