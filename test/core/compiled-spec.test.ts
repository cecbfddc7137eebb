// The compiled spec is shared and lazy; these checks keep laziness from hiding a broken schema.
import { describe, expect, it } from 'vitest';
import { compiledSpec } from '../../src/http/compiled-spec.js';
import { loadSpec } from '../../src/spec.js';
import { parseYaml } from '../../src/spec-cache.js';

describe('compiled spec', () => {
  it('compiles a request validator for every operation of openapi.yaml', () => {
    const { router, validators } = compiledSpec(loadSpec().doc);
    expect(router.operations.length).toBeGreaterThan(10);
    for (const op of router.operations) expect(validators.get(op.operationId), op.operationId).toBeDefined();
    expect(validators.get('noSuchOperation')).toBeUndefined();
  });

  it('is built once per document and shared by every simulator', () => {
    expect(compiledSpec(loadSpec().doc)).toBe(compiledSpec(loadSpec().doc));
  });

  it('parses YAML the cache does not hold, and hands out fresh objects every time', () => {
    expect(parseYaml('a: 1\nb: [x, y]\n# not in any cache')).toEqual({ a: 1, b: ['x', 'y'] });
    const text = loadSpec().text;
    expect(parseYaml(text)).not.toBe(parseYaml(text));
    expect(parseYaml(text)).toEqual(loadSpec().doc);
  });
});
