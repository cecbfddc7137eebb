// API keys: which kinds exist, how a bearer header is read, and which key may call what.
import { errors } from '../core/errors.js';

export type KeyKind = 'secret' | 'restricted' | 'publishable';

export interface ApiKey {
  raw: string;
  kind: KeyKind;
  livemode: boolean;
}

const KEY_PATTERN = /^(sk|rk|pk)_(test|live)_[A-Za-z0-9_-]{1,200}$/;
const KINDS: Record<string, KeyKind> = { sk: 'secret', rk: 'restricted', pk: 'publishable' };

export function parseKey(raw: string): ApiKey | undefined {
  const m = KEY_PATTERN.exec(raw);
  if (!m) return undefined;
  return { raw, kind: KINDS[m[1]!]!, livemode: m[2] === 'live' };
}

/**
 * Reads `Authorization: Bearer <key>`. `allowList`, when configured, is the set of keys the
 * simulator knows; otherwise every well-formed key is known and gets its own namespace.
 */
export function authenticate(header: string | undefined, allowList?: ReadonlySet<string>): ApiKey {
  if (!header) throw errors.auth('No API key provided. Send "Authorization: Bearer sk_test_…".');
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) throw errors.auth('Malformed Authorization header. Expected "Bearer <api key>".');
  const key = parseKey(m[1]!);
  if (!key) throw errors.auth('Invalid API key provided: it must look like sk_test_…, rk_test_… or their _live_ forms.');
  if (allowList && !allowList.has(key.raw)) throw errors.auth(`Invalid API key provided: ${redactKey(key.raw)}.`);
  return key;
}

export function refusePublishable(key: ApiKey): void {
  if (key.kind === 'publishable') {
    throw errors.permission('Publishable keys (pk_…) cannot call the server API; use a secret or restricted key.');
  }
}

/** `liveMode=true|false`, sent by XPay's WooCommerce plugin on every call, must agree with the key. */
export function checkLiveMode(value: unknown, key: ApiKey): void {
  if (value === undefined) return;
  const wanted = value === 'true';
  if (wanted !== key.livemode) {
    throw errors.invalid('liveMode', `liveMode=${String(value)} does not match the ${key.livemode ? 'live' : 'test'} key used.`);
  }
}

export function redactKey(raw: string): string {
  return raw.length <= 12 ? raw : `${raw.slice(0, 8)}…${raw.slice(-4)}`;
}
