// The admin credential (`--admin-key` / XPAY_SIM_ADMIN_KEY), sent as `XPay-Sim-Admin: <admin key>`:
// the only way to act on every namespace at once (reset all, global fault rules, list namespaces).
// A header of its own, so a tool (the Workbench) can send a tenant's key as Bearer beside it.
import { createHash, timingSafeEqual } from 'node:crypto';
import { errors } from '../core/errors.js';

export const ADMIN_HEADER = 'xpay-sim-admin';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Throws 403 unless `sent` is the configured admin key. With none configured every admin call is
 * refused, whatever the bind address: there is no "localhost is trusted" exception.
 */
export function checkAdminKey(configured: string | undefined, sent: string | string[] | undefined): void {
  if (!configured) {
    throw errors.permission('Operations over all namespaces need the admin key, and none is configured (start the simulator with --admin-key or XPAY_SIM_ADMIN_KEY).');
  }
  const value = Array.isArray(sent) ? sent.join(', ') : (sent ?? '');
  // Compared as digests: equal length, and no timing hint of how much matched.
  if (!timingSafeEqual(digest(value), digest(configured))) throw errors.permission('Invalid admin key in the XPay-Sim-Admin header.');
}
