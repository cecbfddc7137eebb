// Deep links: `#/<panel>/<id>?filters`, e.g. `#/payments/pi_test_…` or `#/requests?status=4xx`.

export interface Route {
  panel: string;
  id: string | undefined;
  params: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  const path = q === -1 ? raw : raw.slice(0, q);
  const [panel, ...rest] = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { panel: panel ?? '', id: rest.length > 0 ? rest.join('/') : undefined, params: new URLSearchParams(q === -1 ? '' : raw.slice(q + 1)) };
}

export function link(panel: string, id?: string, params?: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) if (v) q.set(k, v);
  const qs = q.toString();
  return `#/${panel}${id ? `/${encodeURIComponent(id)}` : ''}${qs ? `?${qs}` : ''}`;
}

/** The same panel and filters with another (or no) object open. */
export function withId(route: Route, id: string | undefined): string {
  return link(route.panel, id, Object.fromEntries(route.params));
}
