import { describe, expect, it } from 'vitest';
import { startTestSim, type TestSim } from '../helpers/sim.js';

/** A fixed request story touching ids, clocks, errors and generated URLs. */
async function story(sim: TestSim): Promise<string[]> {
  const bodies: string[] = [];
  const record = <T extends { status: number; text: string; headers: Headers }>(res: T): T => {
    bodies.push(`${res.status} ${res.headers.get('request-id')} ${res.text}`);
    return res;
  };
  const customer = record(await sim.post('/customers', { name: 'Salma', email: 'salma@example.com', metadata: { a: '1' } }));
  record(await sim.get(`/customers/${customer.body.id}`));
  const product = record(await sim.post('/products', { name: 'Papyrus Print', defaultPrice: { currency: 'EGP', unitAmount: 120000 } }));
  record(await sim.post(`/prices?productId=${product.body.id}`, { currency: 'USD', unitAmount: 2500 }));
  record(await sim.patch(`/products/${product.body.id}`, { metadata: { size: 'A3' } }));
  record(await sim.get('/products?limit=3'));
  record(await sim.get('/customers?search=salma'));
  record(await sim.get('/account', { key: 'rk_test_second' }));
  record(await sim.post('/upload-url'));
  record(await sim.get('/products/prod_missing'));
  record(await sim.post('/customers', { email: 'salma@example.com' }));
  record(await sim.del(`/prices/${product.body.prices[0].id}`));
  record(await sim.get(`/products/${product.body.id}/stats`));
  return bodies;
}

async function run(seed: string): Promise<string[]> {
  const sim = await startTestSim({ seed, publicUrl: 'http://xpay-sim.test' });
  try {
    return await story(sim);
  } finally {
    await sim.close();
  }
}

describe('determinism', () => {
  it('gives byte-identical responses for the same seed, frozen clock and requests', async () => {
    const [a, b] = [await run('same-seed'), await run('same-seed')];
    expect(a.length).toBe(13);
    expect(b).toEqual(a);
  });

  it('gives different ids for a different seed', async () => {
    const [a, b] = [await run('seed-one'), await run('seed-two')];
    const ids = (bodies: string[]): string[] => bodies.join('\n').match(/\b(cus|prod|price_test|merch|req)_[A-Za-z0-9]{16,}/g) ?? [];
    expect(ids(a).length).toBeGreaterThan(5);
    expect(ids(a).filter((id) => ids(b).includes(id))).toEqual([]);
  });
});
