// Who a browser SDK request speaks for: a publishable key (pk_test_… / pk_live_…) plus a session's
// clientSecret. A pk_ key has no namespace of its own; it belongs to the secret (and restricted) key
// with the same mode and suffix (pk_test_shop → sk_test_shop, rk_test_shop), and the session is
// looked up by its clientSecret in those namespaces only, never in another tenant's.
import { errors } from '../core/errors.js';
import { parseKey, redactKey, type ApiKey } from '../http/auth.js';
import { namespaceByToken, namespaceToken } from '../control/page-urls.js';
import { findSessionByClientSecret } from '../pages/lookup.js';
import type { SessionRecord } from '../checkout/session-record.js';
import type { Simulator } from '../simulator.js';
import type { Namespace } from '../store/namespace.js';

const CLIENT_SECRET = /^(cs_(?:test|live)_[A-Za-z0-9]{1,64})_secret_[A-Za-z0-9]{1,64}$/;

/** Reads `Authorization: Bearer pk_…`: only a publishable key is accepted (a secret key must never reach a browser). */
export function publishableKey(header: string | undefined): ApiKey {
  if (!header) throw errors.auth('No publishable key provided. The SDK sends "Authorization: Bearer pk_test_…".');
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  const key = m ? parseKey(m[1]!) : undefined;
  if (!key) throw errors.auth('Invalid publishable key provided: it must look like pk_test_… or pk_live_….');
  if (key.kind !== 'publishable') {
    throw errors.permission('The browser SDK takes a publishable key (pk_test_…); never put a secret or restricted key in a web page.');
  }
  return key;
}

/** The secret and restricted keys a publishable key stands beside (same mode, same suffix). */
export function siblingKeys(key: ApiKey, livemode = key.livemode): string[] {
  const suffix = key.raw.replace(/^pk_(?:test|live)_/, '');
  const mode = livemode ? 'live' : 'test';
  return [`sk_${mode}_${suffix}`, `rk_${mode}_${suffix}`];
}

/** A namespace already known to the simulator (in memory or evicted to the data file); never creates one. */
function existingNamespace(sim: Simulator, key: string): Namespace | undefined {
  return sim.namespaces.get(key) ?? namespaceByToken(sim, namespaceToken(sim, key));
}

function sessionsIn(sim: Simulator, keys: string[], clientSecret: string): Array<{ ns: Namespace; session: SessionRecord }> {
  const found: Array<{ ns: Namespace; session: SessionRecord }> = [];
  for (const k of keys) {
    const ns = existingNamespace(sim, k);
    const session = ns && findSessionByClientSecret(sim, ns, clientSecret);
    if (ns && session) found.push({ ns, session });
  }
  return found;
}

/**
 * The session a pk_ key + clientSecret name. 404 when no sibling namespace holds it; 400 when it
 * belongs to the other mode (a pk_test_ key on a live session) or to two namespaces at once
 * (forked sk_/rk_ of one suffix), so a page never pays into a namespace it did not mean.
 */
export function resolveClientSession(sim: Simulator, key: ApiKey, clientSecret: unknown): { ns: Namespace; session: SessionRecord } {
  if (typeof clientSecret !== 'string' || clientSecret === '') throw errors.missing('clientSecret');
  const m = CLIENT_SECRET.exec(clientSecret);
  if (!m) throw errors.invalid('clientSecret', 'clientSecret must be the clientSecret of a checkout session (cs_test_…_secret_…).');
  const allow = sim.config.keys ? new Set(sim.config.keys) : undefined;
  if (allow && !allow.has(key.raw) && !siblingKeys(key).some((k) => allow.has(k))) {
    throw errors.auth(`Invalid publishable key provided: ${redactKey(key.raw)}.`);
  }
  const found = sessionsIn(sim, siblingKeys(key), clientSecret);
  if (found.length === 1) return found[0]!;
  if (found.length > 1) {
    throw errors.invalid('clientSecret', `This clientSecret matches sessions of both ${siblingKeys(key).join(' and ')}; give each namespace its own key suffix.`);
  }
  const sessionMode = m[1]!.startsWith('cs_live_');
  if (sessionMode !== key.livemode || sessionsIn(sim, siblingKeys(key, !key.livemode), clientSecret).length > 0) {
    throw errors.invalid('clientSecret', `A ${key.livemode ? 'live' : 'test'} publishable key cannot open a ${sessionMode ? 'live' : 'test'} checkout session.`);
  }
  throw errors.code(404, 'resource_missing', `No checkout session with this clientSecret belongs to ${redactKey(key.raw)} (pk_X pairs with sk_X).`, 'clientSecret');
}
