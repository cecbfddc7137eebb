// One namespace = the whole world seen by one API key: its collections, clock and id stream.
import { Clock } from '../core/clock.js';
import { IdGenerator, SeededRandom } from '../core/ids.js';
import type { CustomerRecord, OpenRecord, PriceRecord, ProductRecord, UploadRecord } from './types.js';

export interface Collections {
  customers: Map<string, CustomerRecord>;
  products: Map<string, ProductRecord>;
  prices: Map<string, PriceRecord>;
  uploads: Map<string, UploadRecord>;
  checkoutSessions: Map<string, OpenRecord>;
  paymentIntents: Map<string, OpenRecord>;
  charges: Map<string, OpenRecord>;
  refunds: Map<string, OpenRecord>;
  balanceTransactions: Map<string, OpenRecord>;
  ledgerEntries: Map<string, OpenRecord>;
  paymentLinks: Map<string, OpenRecord>;
  coupons: Map<string, OpenRecord>;
  promotionCodes: Map<string, OpenRecord>;
  events: Map<string, OpenRecord>;
  webhookEndpoints: Map<string, OpenRecord>;
  /** Webhook deliveries (one per endpoint per matching event) with their attempts. */
  deliveries: Map<string, OpenRecord>;
}

export const COLLECTION_NAMES = [
  'customers', 'products', 'prices', 'uploads', 'checkoutSessions', 'paymentIntents', 'charges', 'refunds',
  'balanceTransactions', 'ledgerEntries', 'paymentLinks', 'coupons', 'promotionCodes', 'events', 'webhookEndpoints',
  'deliveries',
] as const satisfies ReadonlyArray<keyof Collections>;

export function emptyCollections(): Collections {
  return Object.fromEntries(COLLECTION_NAMES.map((n) => [n, new Map()])) as unknown as Collections;
}

export interface NamespaceOptions {
  key: string;
  livemode: boolean;
  seed: string;
  clock: Clock;
  merchantId: string;
  publicUrl: string;
}

export class Namespace {
  readonly key: string;
  readonly livemode: boolean;
  readonly merchantId: string;
  readonly publicUrl: string;
  clock: Clock;
  random: SeededRandom;
  ids: IdGenerator;
  db: Collections;
  /** Free slots for capabilities that keep per-namespace state outside the collections. */
  readonly extensions = new Map<string, unknown>();
  /** Work a request put off until after its answer (see `defer`). */
  private deferred: Array<() => void> = [];

  constructor(options: NamespaceOptions, collections: Collections) {
    this.key = options.key;
    this.livemode = options.livemode;
    this.merchantId = options.merchantId;
    this.publicUrl = options.publicUrl;
    this.clock = options.clock;
    this.random = new SeededRandom(`${options.seed}\u0000${options.key}`);
    this.ids = new IdGenerator(this.random, options.livemode);
    this.db = collections;
  }

  nowIso(): string {
    return this.clock.iso();
  }

  /**
   * Puts off work that records derived state (webhook deliveries of an event) until after the
   * request's answer is written. Whoever reads or saves the namespace's state calls `settle` first,
   * so nothing can observe the namespace without it, and with --data it is in the same commit.
   */
  defer(work: () => void): void {
    this.deferred.push(work);
  }

  /** Runs the deferred work now, in the order it was deferred. */
  settle(): void {
    while (this.deferred.length > 0) {
      const due = this.deferred;
      this.deferred = [];
      for (const work of due) work();
    }
  }
}
