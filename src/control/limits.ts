// Every bound on stored state in one table: what it caps, its default, and the `--limit NAME=N`
// that changes it. A new stored collection adds its cap here, so none can grow without one.
// Defaults are far above what one CI job produces (a 10-minute job with thousands of requests keeps
// everything) and far below what would exhaust a long-running shared instance.

export interface LimitSpec {
  /** Default value (a count, or bytes for names ending in `Bytes`). */
  default: number;
  /** Smallest accepted value (0 where "none kept" makes sense). */
  min: number;
  /** One line for `--help`, the README and `GET /_sim/usage`. */
  description: string;
}

export const LIMIT_SPECS = {
  webhookEndpoints: { default: 16, min: 1, description: 'webhook endpoints per namespace (over it: 400 naming the maximum)' },
  requestLogEntries: { default: 1000, min: 0, description: 'request log entries kept per namespace (oldest evicted first)' },
  requestLogBytes: { default: 8 * 1024 * 1024, min: 0, description: 'request log bytes kept per namespace (oldest evicted first)' },
  requestLogBodyBytes: { default: 16 * 1024, min: 0, description: 'largest request/response body kept whole in the request log (longer ones are truncated)' },
  events: { default: 10_000, min: 1, description: 'events kept per namespace (oldest evicted first)' },
  deliveries: { default: 10_000, min: 1, description: 'webhook deliveries kept per namespace (oldest finished ones evicted first)' },
  webhookQueue: { default: 10_000, min: 1, description: 'webhook attempts waiting to be sent per endpoint (over it: the oldest waiting one fails)' },
  idempotencyKeys: { default: 10_000, min: 1, description: 'idempotency keys remembered per namespace (beside their 24 h window; oldest evicted first)' },
  snapshots: { default: 20, min: 0, description: 'snapshots kept per namespace (saving one more refuses with 400)' },
  snapshotBytes: { default: 64 * 1024 * 1024, min: 0, description: 'bytes of snapshots kept per namespace (saving past it refuses with 400)' },
  faultRules: { default: 1000, min: 1, description: 'fault rules per namespace, and global ones (over it: 400 naming the limit)' },
  liveSubscribers: { default: 8, min: 1, description: 'live streams (GET /_sim/live, a Workbench tab each) open at once per namespace (over it: 429)' },
  namespaces: { default: 1000, min: 1, description: 'namespaces held in memory at once' },
  lineItems: { default: 100, min: 1, description: 'line items per checkout session or payment link (over it: 400 naming the limit)' },
  customFields: { default: 3, min: 0, description: 'custom fields per checkout session (payment links: XPay\'s own 3) (over it: 400 naming the limit)' },
  customFieldOptions: { default: 200, min: 1, description: 'dropdown options per custom field (over it: 400 naming the limit)' },
  customFieldLabelLength: { default: 100, min: 1, description: 'characters in a custom field label or dropdown option label (over it: 400 naming the limit)' },
  metadataKeys: { default: 50, min: 0, description: 'metadata keys (or array items) per object, after an update merges (over it: 400 naming the limit)' },
  metadataKeyLength: { default: 40, min: 1, description: 'characters in a metadata key (over it: 400 naming the limit)' },
  metadataValueLength: { default: 500, min: 1, description: 'characters in a metadata value (JSON text for non-strings) (over it: 400 naming the limit)' },
  requestLogScanBytes: { default: 256 * 1024, min: 1024, description: 'request log bytes one GET /_sim/requests examines before it answers with hasMore and a cursor' },
} as const satisfies Record<string, LimitSpec>;

export type LimitName = keyof typeof LIMIT_SPECS;
export type Limits = Record<LimitName, number>;

export function defaultLimits(): Limits {
  return Object.fromEntries(Object.entries(LIMIT_SPECS).map(([name, spec]) => [name, spec.default])) as Limits;
}

const SIZE = /^(\d+)\s*(k|ki|kib|kb|m|mi|mib|mb|g|gi|gib|gb)?$/i;
const MULTIPLIER: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** `10000`, `64MiB`, `512k`: a non-negative integer, with an optional binary size suffix. */
function parseLimitValue(text: string): number | undefined {
  const m = SIZE.exec(text.trim().replace(/_/g, ''));
  if (!m) return undefined;
  const value = Number(m[1]) * (m[2] ? MULTIPLIER[m[2][0]!.toLowerCase()]! : 1);
  return Number.isSafeInteger(value) ? value : undefined;
}

/**
 * Applies `NAME=VALUE` settings (from repeated `--limit` flags or the comma-separated
 * `XPAY_SIM_LIMITS`) over the defaults; returns the problem with the first bad one.
 */
export function applyLimitSettings(limits: Limits, settings: string[]): string | undefined {
  for (const setting of settings) {
    const eq = setting.indexOf('=');
    const name = (eq === -1 ? setting : setting.slice(0, eq)).trim();
    if (!(name in LIMIT_SPECS)) return `unknown limit "${name}" (known: ${Object.keys(LIMIT_SPECS).join(', ')})`;
    const spec = LIMIT_SPECS[name as LimitName];
    const value = eq === -1 ? undefined : parseLimitValue(setting.slice(eq + 1));
    if (value === undefined || value < spec.min) return `--limit ${name} must be an integer ≥ ${spec.min}, got "${setting.slice(eq + 1)}"`;
    limits[name as LimitName] = value;
  }
  return undefined;
}

export function limitsUsage(): string {
  return Object.entries(LIMIT_SPECS)
    .map(([name, spec]) => `      ${name.padEnd(20)} ${String(spec.default).padStart(9)}  ${spec.description}`)
    .join('\n');
}
