// The `xpay-sim generate` command line: options, validation with one-line reasons, and a summary.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { generateDataset, type GenerateOptions } from './generate.js';

export const GENERATE_USAGE = `Usage: xpay-sim generate [options]   write a seeded demo data set as a fixtures folder
  --out DIR           folder to write xpay-sim-data.json into (default ./xpay-sim-data)
  --seed S            same seed → byte-identical data set (default xpay-sim)
  --customers N       customers with Arabic and English names, +20 phones (default 50)
  --products N        products with EGP prices, most also in USD (default 20)
  --payments N        checkouts: paid, declined, refunded in full or in part, with their events (default 100)
  --start ISO         the instant the first payment happens (default 2026-01-05T08:00:00Z)

Then: xpay-sim --fixtures DIR --seed <another seed>   (every key starts with the data set)`;

const OPTIONS = {
  out: { type: 'string' },
  seed: { type: 'string' },
  customers: { type: 'string' },
  products: { type: 'string' },
  payments: { type: 'string' },
  start: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function count(name: string, given: string | undefined, fallback: number, min: number): number {
  if (given === undefined) return fallback;
  const n = Number(given);
  if (!Number.isInteger(n) || n < min || n > 1_000_000) throw new Error(`--${name} must be a whole number from ${min} to 1000000, got ${given}`);
  return n;
}

export function parseGenerateArgs(argv: string[]): GenerateOptions | 'help' {
  const { values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false });
  if (values.help) return 'help';
  const start = values.start ?? '2026-01-05T08:00:00Z';
  const startMs = Date.parse(start);
  if (!Number.isFinite(startMs) || startMs < 0 || startMs > Date.parse('9000-01-01T00:00:00Z')) throw new Error(`--start must be an ISO-8601 instant, got ${start}`);
  return {
    out: resolve(values.out ?? 'xpay-sim-data'),
    seed: values.seed ?? 'xpay-sim',
    customers: count('customers', values.customers, 50, 1),
    products: count('products', values.products, 20, 1),
    payments: count('payments', values.payments, 100, 0),
    start: new Date(startMs).toISOString(),
  };
}

export async function generateCommand(argv: string[]): Promise<void> {
  let options;
  try {
    options = parseGenerateArgs(argv);
  } catch (e) {
    process.stderr.write(`xpay-sim generate: ${(e as Error).message.split('\n')[0]} (see xpay-sim generate --help)\n`);
    process.exit(2);
  }
  if (options === 'help') {
    process.stdout.write(GENERATE_USAGE + '\n');
    return;
  }
  const result = await generateDataset(options);
  process.stdout.write(
    `xpay-sim generate: wrote ${result.file}\n` +
      `  ${result.customers} customers, ${result.products} products, ${result.sessions} checkouts ` +
      `(${result.paid} paid, ${result.declined} declined attempts, ${result.refunds} refunds), ${result.events} events\n` +
      `  load it with: xpay-sim --fixtures ${options.out} --seed another-seed\n`,
  );
}
