// Charges waiting for a 3-D Secure challenge, per namespace, so the clock can abandon those whose
// session expires without scanning every charge on every request.
import type { Namespace } from '../store/namespace.js';
import type { ChargeRecord } from './types.js';
import { waitingIds } from './waiting-index.js';

/** `_behaviour` of a charge waiting for its challenge; cleared once the challenge is resolved. */
export const CHALLENGE = 'three_d_secure';
/** The same, for a card whose authentication always fails. */
export const CHALLENGE_FAILS = 'three_d_secure_fails';

const KEY = 'payments.pendingChallenges';

export function isWaitingChallenge(charge: ChargeRecord): boolean {
  return charge.status === 'PENDING' && (charge._behaviour === CHALLENGE || charge._behaviour === CHALLENGE_FAILS);
}

/** Ids of charges that may still be waiting (callers re-check each). */
export function pendingChallenges(ns: Namespace): Set<string> {
  return waitingIds(ns, KEY, () => ns.db.charges.values() as unknown as Iterable<ChargeRecord>, isWaitingChallenge);
}
