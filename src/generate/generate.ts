// `xpay-sim generate`: a seeded demo data set written as a fixtures folder (`--fixtures DIR` loads
// it). Customers and catalog come from Faker; payments, refunds and events are made through an
// in-process simulator and exported, so they are exactly what the API produces.
import { mkdirSync, mkdtempSync, readdirSync, copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../spec.js';
import { startSimulator } from '../testing/start.js';
import { activityFaker, customerDocs, productDocs } from './dataset.js';
import { makePayments, type ActivityCounts } from './activity.js';

export interface GenerateOptions {
  out: string;
  seed: string;
  customers: number;
  products: number;
  payments: number;
  /** Where the data set's clock starts (ISO); payments move it forward by minutes to hours each. */
  start: string;
}

export interface GenerateResult extends ActivityCounts {
  file: string;
  customers: number;
  products: number;
  events: number;
}

/** The key the data set is made under; any key that loads the folder sees the same data. */
const GENERATOR_KEY = 'sk_test_xpay_sim_generate';

export async function generateDataset(options: GenerateOptions): Promise<GenerateResult> {
  const startMs = Date.parse(options.start);
  const work = mkdtempSync(join(tmpdir(), 'xpay-sim-generate-'));
  try {
    // The bundled fixtures (coupons, demo catalog) plus the generated records, as one namespace.
    const bundled = join(packageRoot(), 'fixtures');
    for (const name of readdirSync(bundled)) copyFileSync(join(bundled, name), join(work, name));
    const customers = customerDocs(options.seed, options.customers, startMs - options.customers * 3_600_000);
    const products = productDocs(options.seed, options.products, startMs - 86_400_000) ?? [];
    writeFileSync(join(work, 'generated.json'), JSON.stringify({ customers, products }));
    const pricesByCurrency = { EGP: [] as string[], USD: [] as string[] };
    for (const p of products) for (const price of p.prices ?? []) pricesByCurrency[price.currency as 'EGP' | 'USD'].push(String(price.id));

    const perPayment = 12; // events and requests one payment can leave behind, with room to spare
    const sim = await startSimulator({
      seed: options.seed, now: startMs, clockMode: 'manual', fixturesDir: work,
      // A fixed base for the URLs records keep (receipts), so the bytes do not depend on the port.
      publicUrl: 'http://localhost:12111',
      limits: { events: Math.max(10_000, options.payments * perPayment), deliveries: Math.max(10_000, options.payments * perPayment), requestLogEntries: 0 },
    });
    try {
      const client = sim.client(GENERATOR_KEY);
      const activity = await makePayments(client, activityFaker(options.seed), options.payments, customers as Array<{ id: string }>, pricesByCurrency);
      const exported = await client.get<Record<string, unknown[]>>('/_sim/export');
      mkdirSync(options.out, { recursive: true });
      const file = join(options.out, 'xpay-sim-data.json');
      writeFileSync(file, JSON.stringify(exported) + '\n');
      return { file, customers: options.customers, products: options.products, events: exported.events?.length ?? 0, ...activity };
    } finally {
      await sim.close();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
