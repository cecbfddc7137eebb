// Security headers of the pages and the Origin check of their form POSTs.
// Pages run no script of their own: the policy allows none, except the SDK windows (embedded
// sessions), which load the simulator's frame script to talk to the merchant page. Product images may be any http(s) URL.
import type { Request, Response } from 'express';
import type { Simulator } from '../simulator.js';
import { messagePage } from './layout.js';
import { browserLocale, stringsFor } from './i18n.js';

const BASE_POLICY = "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' https: http: data:; base-uri 'none'; object-src 'none'";

/**
 * Every HTML page: CSP, nosniff, no referrer beyond the origin. Only embedded sessions
 * (`uiMode` embedded/custom opened with `?embed=true`) may be framed, by any site (the merchant's);
 * every other page refuses framing (`frame-ancestors 'none'` and `X-Frame-Options: DENY`).
 * @assumption form-action is not restricted: a paid session redirects to the merchant's successUrl.
 */
export function setPageSecurityHeaders(res: Response, framable: boolean): void {
  res.set({
    'Content-Security-Policy': `${BASE_POLICY}; ${framable ? "script-src 'self'; connect-src 'self'; frame-ancestors *" : "script-src 'none'; frame-ancestors 'none'"}`,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
  });
  if (!framable) res.set('X-Frame-Options', 'DENY');
}

/** Status and headers every HTML answer of the pages carries (framable only inside an SDK window). */
export function setPageHeaders(res: Response, status: number): void {
  res.status(status).set({ 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  setPageSecurityHeaders(res, res.locals.embedded === true);
}

/** The origin a form may post from: the public URL's, or the one the request was addressed to. */
function allowedOrigins(sim: Simulator, req: Request): Set<string> {
  const allowed = new Set<string>([new URL(sim.publicUrl).origin]);
  const host = req.headers.host;
  if (host) allowed.add(`${req.protocol}://${host}`);
  return allowed;
}

/**
 * Form POSTs that change a session must come from our own pages. A browser always sends `Origin`
 * on a POST; one without it is a no-browser client (curl, a test) and is let through, as it cannot
 * be a cross-site form. `Origin: null` (sandboxed or opaque origins) is refused.
 * Answers 403 and returns true when the request is refused.
 */
export function refuseForeignOrigin(sim: Simulator, req: Request, res: Response): boolean {
  const origin = req.headers.origin;
  if (origin === undefined || allowedOrigins(sim, req).has(origin)) return false;
  // Checked before the session is looked up, so the answer is never framable (res.locals.embedded unset).
  setPageHeaders(res, 403);
  // The session (and its locale) is not looked up for a refused post: the browser's language, like the 404 page.
  const locale = browserLocale(req);
  const t = stringsFor(locale);
  res.send(messagePage({ title: t.foreignOrigin, locale, heading: t.foreignOrigin, text: t.foreignOriginBody }));
  return true;
}
