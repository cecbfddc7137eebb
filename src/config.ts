// Simulator configuration: CLI flags and XPAY_SIM_* environment variables, with defaults.
import { parseArgs } from 'node:util';
import { clockInRange, type ClockMode } from './core/clock.js';
import { parseDurationText } from './core/duration.js';
import { parseMethodSetting } from './payments/account-methods.js';
import { CURRENCIES } from './core/money.js';
import { refusalWithoutDns, parseWebhookAllow } from './webhooks/allow-list.js';
import { applyLimitSettings, defaultLimits, limitsUsage, type Limits } from './control/limits.js';

export interface SimulatorConfig {
  port: number;
  host: string;
  seed: string;
  /** Start instant for a frozen/manual clock (ms since epoch); undefined = real time. */
  now?: number;
  clockMode: ClockMode;
  fixturesDir?: string;
  /** When set, only these keys are accepted; otherwise any well-formed key is its own namespace. */
  keys?: string[];
  /** The admin credential (XPay-Sim-Admin header) for operations over all namespaces; none = refused. */
  adminKey?: string;
  /** Base URL used in links the simulator hands out (session url, receipts, uploads). */
  publicUrl?: string;
  bodyLimitBytes: number;
  webhookUrl?: string;
  webhookSecret?: string;
  /** Host names, addresses and CIDR ranges webhooks may reach (`--webhook-allow`); unset = any URL. */
  webhookAllow?: string[];
  dataFile?: string;
  /** Move a corrupt --data file aside and start fresh instead of refusing to start. */
  dataResetCorrupt?: boolean;
  log: 'none' | 'json';
  /** How long charge money stays pending before it becomes available (0 = at once). */
  settlementDelayMs: number;
  /** Payment methods enabled per currency (`--payment-methods EGP=card,fawry`); unset currencies keep the defaults. */
  paymentMethods?: Record<string, string[]>;
  /** Caps on stored state (see src/control/limits.ts); `--limit NAME=N` changes one. */
  limits: Limits;
  /** No flag (tests only): how long a sent webhook attempt may wait for an answer (default 30 s). */
  webhookTimeoutMs?: number;
  /** No flag (tests only): attempts one endpoint has on the wire at once (default 256). */
  webhookConcurrency?: number;
}

export const DEFAULT_PORT = 12111;

/** What a caller of `startSimulator` may set: any option, and any subset of the limits. */
export type SimulatorOptions = Partial<Omit<SimulatorConfig, 'limits'>> & { limits?: Partial<Limits> };

export function defaultConfig(overrides: SimulatorOptions = {}): SimulatorConfig {
  return { port: DEFAULT_PORT, host: '127.0.0.1', seed: 'xpay-sim', clockMode: 'real', bodyLimitBytes: 1024 * 1024, log: 'none', settlementDelayMs: 0, ...overrides, limits: { ...defaultLimits(), ...overrides.limits } };
}

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  seed: { type: 'string' },
  now: { type: 'string' },
  clock: { type: 'string' },
  fixtures: { type: 'string' },
  keys: { type: 'string' },
  'admin-key': { type: 'string' },
  'public-url': { type: 'string' },
  'body-limit': { type: 'string' },
  'webhook-url': { type: 'string' },
  'webhook-secret': { type: 'string' },
  'webhook-allow': { type: 'string' },
  data: { type: 'string' },
  'data-reset-corrupt': { type: 'boolean' },
  log: { type: 'string' },
  'settlement-delay': { type: 'string' },
  limit: { type: 'string', multiple: true },
  'payment-methods': { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

export const USAGE = `Usage: xpay-sim [options]   (each option also reads XPAY_SIM_<NAME>, e.g. XPAY_SIM_PORT)
  --port N            port to listen on (default ${DEFAULT_PORT})
  --host H            address to bind (default 127.0.0.1; 0.0.0.0 in the container)
  --seed S            seed for ids and generated data (default xpay-sim)
  --now ISO           freeze the clock at this instant (implies --clock frozen)
  --clock MODE        real | frozen | manual
  --fixtures DIR      load this fixture folder instead of the bundled one
  --keys K1,K2        accept only these API keys (default: any well-formed key)
  --admin-key K       admin credential (header XPay-Sim-Admin) for reset-all, global faults,
                      listing namespaces; without it those are refused (403)
  --public-url URL    base URL put into links the simulator hands out
  --body-limit BYTES  largest accepted request body (default 1048576)
  --webhook-url URL   deliver every namespace's events to this URL too
  --webhook-secret S  signing secret (whsec_…) for --webhook-url
  --webhook-allow L   shared instances: webhook URLs may only reach these host names, IPs and CIDRs
                      (comma-separated, e.g. receiver,10.0.0.0/8); default: any URL
  --data FILE         keep state in this file (default: memory only)
  --data-reset-corrupt  move a corrupt --data file aside and start fresh
  --log json          one JSON line per request on stdout
  --settlement-delay D  how long charge money stays pending, e.g. 0, 2d, 36h (default 0)
  --payment-methods CUR=a,b  payment methods enabled for a currency (repeatable; default: all 17 in EGP, card elsewhere)
  --version, -v       print the version and exit
  --help, -h          print this help and exit
  --limit NAME=N      change one cap on stored state (repeatable; XPAY_SIM_LIMITS=a=1,b=2); sizes take k/M/G:
${limitsUsage()}

Commands:
  xpay-sim healthcheck [--port N]   exit 0 when a simulator answers /health (container HEALTHCHECK)
  xpay-sim generate [--out DIR] [--seed S] [--customers N] [--products N] [--payments N]
                                    write a seeded Egyptian demo data set as a fixtures folder

Examples:
  xpay-sim                                      listen on http://127.0.0.1:12111 with the bundled fixtures
  xpay-sim --port 0 --seed ci --now 2026-03-01T10:00:00Z
                                                a free port, fixed ids, clock frozen at that instant
  xpay-sim --data .data/state.json --admin-key change-me-please-0001
                                                keep every namespace on disk; allow admin calls
  xpay-sim --webhook-url http://127.0.0.1:3000/hooks --webhook-secret whsec_test
                                                send every namespace's events to your app
  XPAY_SIM_PORT=8080 XPAY_SIM_LOG=json xpay-sim   the same options as environment variables`;

export class ConfigError extends Error {}

export function parseConfig(argv: string[], env: NodeJS.ProcessEnv): SimulatorConfig | 'help' | 'version' {
  const { values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false });
  if (values.help) return 'help';
  if (values.version) return 'version';
  const pick = (name: keyof typeof OPTIONS): string | undefined => {
    const flag = values[name as Exclude<keyof typeof OPTIONS, 'limit' | 'payment-methods' | 'version' | 'help'>];
    if (typeof flag === 'string') return flag;
    // An empty variable (`XPAY_SIM_PORT=`) means "not set", as in most shells' configs.
    const fromEnv = env['XPAY_SIM_' + name.toUpperCase().replace(/-/g, '_')];
    return fromEnv === '' ? undefined : fromEnv;
  };
  const config = defaultConfig();
  const port = pick('port');
  if (port !== undefined) {
    config.port = Number(port);
    if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535) throw new ConfigError(`--port must be 0–65535, got ${port}`);
  }
  config.host = pick('host') ?? config.host;
  config.seed = pick('seed') ?? config.seed;
  const now = pick('now');
  if (now !== undefined) {
    const ms = Date.parse(now);
    if (!clockInRange(ms)) throw new ConfigError(`--now must be an ISO-8601 instant between 1970 and the end of 9999, got ${now}`);
    config.now = ms;
    config.clockMode = 'frozen';
  }
  const clock = pick('clock');
  if (clock !== undefined) {
    if (clock !== 'real' && clock !== 'frozen' && clock !== 'manual') throw new ConfigError(`--clock must be real, frozen or manual, got ${clock}`);
    config.clockMode = clock;
  }
  config.fixturesDir = pick('fixtures');
  const keys = pick('keys');
  if (keys) config.keys = keys.split(',').map((k) => k.trim()).filter(Boolean);
  const adminKey = pick('admin-key');
  if (adminKey !== undefined) {
    if (adminKey.length < 16) throw new ConfigError('--admin-key must be at least 16 characters');
    config.adminKey = adminKey;
  }
  const publicUrl = pick('public-url');
  if (publicUrl !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(publicUrl);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw new ConfigError(`--public-url must be an absolute http(s) URL, got ${publicUrl}`);
    config.publicUrl = publicUrl.replace(/\/+$/, '');
  }
  const limit = pick('body-limit');
  if (limit !== undefined) {
    config.bodyLimitBytes = Number(limit);
    if (!Number.isInteger(config.bodyLimitBytes) || config.bodyLimitBytes < 1) throw new ConfigError(`--body-limit must be a positive integer, got ${limit}`);
  }
  config.webhookUrl = pick('webhook-url');
  config.webhookSecret = pick('webhook-secret');
  const allow = pick('webhook-allow');
  if (allow !== undefined) {
    config.webhookAllow = allow.split(',').map((e) => e.trim()).filter(Boolean);
    const problem = webhookAllowProblem(config);
    if (problem) throw new ConfigError(problem);
  }
  config.dataFile = pick('data');
  config.dataResetCorrupt = values['data-reset-corrupt'] === true || env.XPAY_SIM_DATA_RESET_CORRUPT === 'true';
  const log = pick('log');
  if (log !== undefined && log !== 'json' && log !== 'none') throw new ConfigError(`--log must be json or none, got ${log}`);
  config.log = (log as 'json' | 'none' | undefined) ?? 'none';
  const delay = pick('settlement-delay');
  if (delay !== undefined) {
    const ms = parseDurationText(delay);
    if (ms === undefined) throw new ConfigError(`--settlement-delay must be a duration like 0, 90s, 36h or 2d, got ${delay}`);
    config.settlementDelayMs = ms;
  }
  const methodSettings = [...(env.XPAY_SIM_PAYMENT_METHODS ? env.XPAY_SIM_PAYMENT_METHODS.split(';') : []), ...(values['payment-methods'] ?? [])].filter((x) => x.trim() !== '');
  for (const setting of methodSettings) {
    const parsed = parseMethodSetting(setting, CURRENCIES);
    if (typeof parsed === 'string') throw new ConfigError(parsed);
    config.paymentMethods = { ...config.paymentMethods, [parsed[0]]: parsed[1] };
  }
  const limitSettings = [...(env.XPAY_SIM_LIMITS ? env.XPAY_SIM_LIMITS.split(',') : []), ...(values.limit ?? [])].filter((s) => s.trim() !== '');
  const limitProblem = applyLimitSettings(config.limits, limitSettings);
  if (limitProblem) throw new ConfigError(limitProblem);
  return config;
}

/** A bad `--webhook-allow` entry, or a `--webhook-url` it does not allow (its host must be listed or an allowed address). */
export function webhookAllowProblem(config: Pick<SimulatorConfig, 'webhookAllow' | 'webhookUrl'>): string | undefined {
  if (!config.webhookAllow) return undefined;
  try {
    const list = parseWebhookAllow(config.webhookAllow);
    const refused = config.webhookUrl ? refusalWithoutDns(list, config.webhookUrl) : undefined;
    return refused ? `--webhook-url ${config.webhookUrl}: ${refused}` : undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
