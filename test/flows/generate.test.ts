// `xpay-sim generate`: a seeded Egyptian demo data set, byte-identical per seed, that loads with
// --fixtures and holds customers, an EGP/USD catalog, paid, declined and refunded payments and events.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDataset, type GenerateOptions } from '../../src/generate/generate.js';
import { parseGenerateArgs } from '../../src/generate/command.js';
import { startSimulator } from '../../src/index.js';

const work = mkdtempSync(join(tmpdir(), 'xpay-sim-generate-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const options = (out: string, seed = 'cairo'): GenerateOptions => ({ out: join(work, out), seed, customers: 24, products: 9, payments: 30, start: '2026-01-05T08:00:00.000Z' });

describe('xpay-sim generate', () => {
  it('writes the same bytes for the same seed, and other data for another seed', async () => {
    const a = await generateDataset(options('a'));
    const b = await generateDataset(options('b'));
    const c = await generateDataset(options('c', 'alexandria'));
    expect(readFileSync(a.file, 'utf8')).toBe(readFileSync(b.file, 'utf8'));
    expect(readFileSync(c.file, 'utf8')).not.toBe(readFileSync(a.file, 'utf8'));
    expect(a).toMatchObject({ customers: 24, products: 9, sessions: 30 });
    expect(a.paid).toBeGreaterThan(15);
    expect(a.refunds).toBeGreaterThan(0);
    expect(a.declined).toBeGreaterThan(0);
  }, 120_000);

  it('loads with --fixtures: Arabic and English names, +20 phones, EGP and USD prices, payments, refunds, events, a balanced ledger', async () => {
    const result = await generateDataset(options('load'));
    const sim = await startSimulator({ fixturesDir: join(work, 'load'), seed: 'after-generate' });
    try {
      const client = sim.client();
      const customers = (await client.get('/customers?limit=100')).data as Array<{ id: string; name: string; phone: string | null }>;
      const generated = customers.filter((c) => c.id.startsWith('cus_gen_'));
      expect(generated).toHaveLength(24);
      expect(generated.filter((c) => /[\u0600-\u06FF]/.test(c.name))).toHaveLength(12);
      expect(generated.filter((c) => /^[A-Za-z' -]+$/.test(c.name)).length).toBe(12);
      const phones = generated.map((c) => c.phone).filter((p): p is string => p !== null);
      expect(phones.length).toBeGreaterThan(15);
      for (const phone of phones) expect(phone).toMatch(/^\+201[0125]\d{8}$/);
      expect(new Set(phones).size).toBe(phones.length);
      const products = (await client.get('/products?limit=100')).data as Array<{ id: string; prices: Array<{ currency: string }> }>;
      const currencies = new Set(products.filter((p) => p.id.startsWith('prod_gen_')).flatMap((p) => p.prices.map((x) => x.currency)));
      expect([...currencies].sort()).toEqual(['EGP', 'USD']);
      const refunds = await client.get<unknown[]>('/refunds?limit=100');
      expect(refunds).toHaveLength(result.refunds);
      const events = (await client.get('/_sim/events?type=checkout.session.completed&limit=100')).data;
      expect(events.length).toBe(result.paid);
      expect((await client.get('/_sim/ledger?entries=false')).invariants.ok).toBe(true);
      // The bundled fixtures stay usable beside the generated data.
      expect((await client.get('/customers/cus_demo_amina')).id).toBe('cus_demo_amina');
    } finally {
      await sim.close();
    }
  }, 120_000);

  it('refuses bad options with a one-line reason', () => {
    expect(() => parseGenerateArgs(['--customers', '0'])).toThrow(/--customers must be a whole number from 1/);
    expect(() => parseGenerateArgs(['--start', 'soon'])).toThrow(/--start must be an ISO-8601 instant/);
    expect(() => parseGenerateArgs(['--bogus'])).toThrow(/Unknown option '--bogus'/);
    expect(parseGenerateArgs(['--payments', '0', '--seed', 's'])).toMatchObject({ payments: 0, seed: 's', customers: 50, products: 20 });
  });
});
