import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { packageRoot } from '../../src/spec.js';
import { startTestSim, type TestSim } from '../helpers/sim.js';

let sim: TestSim;
beforeEach(async () => {
  sim = await startTestSim();
});
afterEach(() => sim.close());

describe('health and the API description', () => {
  it('answers /health without a key', async () => {
    const res = await sim.get('/health', { key: null });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.version).toBe(JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')).version);
    expect(res.headers.get('request-id')).toMatch(/^req_/);
  });

  it('ignores whatever key is sent to /health, even a publishable or malformed one', async () => {
    expect((await sim.get('/health', { key: 'pk_test_browser' })).status).toBe(200);
    expect((await sim.get('/health', { key: 'nonsense' })).status).toBe(200);
  });

  it('serves openapi.yaml as YAML without a key', async () => {
    const res = await sim.get('/openapi.yaml', { key: null });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/yaml/);
    const doc = YAML.parse(res.text);
    expect(doc.openapi).toMatch(/^3\.1/);
    expect(doc.paths['/products'].get.operationId).toBe('listProducts');
  });

  it('answers HEAD /health with headers and no body', async () => {
    const res = await sim.request('HEAD', '/health', { key: null, unchecked: true });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
  });
});
