// Request log: method, path, status, duration, idempotency key and the (card-masked) bodies of the
// namespace's recent requests, filtered by status, path or the resource they mention. The
// Workbench's own reads are hidden unless asked for.
import { api, isOwnRequest, query } from '../api.js';
import { badge, h, jsonView, shortTime, toneOf } from '../dom.js';
import { t } from '../i18n.js';
import { mountListDetail, section, type PanelView } from '../list-detail.js';
import { link, type Route } from '../router.js';
import { objectLink } from './events.js';

type Obj = Record<string, any>;

export function mountRequests(root: HTMLElement, route: Route): PanelView {
  return mountListDetail<Obj>(root, {
    panel: 'requests',
    caption: 'requestLog',
    filters: [
      { name: 'status', label: 'status', hint: 'statusHint', placeholder: '4xx' },
      { name: 'path', label: 'pathPrefix', placeholder: '/checkout/sessions' },
      { name: 'resource', label: 'resource', hint: 'resourceHint' },
      { name: 'own', label: 'workbenchRequests', options: [['show', t('show')]] },
    ],
    rows: async (p) => {
      const list = await api(`/_sim/requests${query({ status: p.get('status'), path: p.get('path'), resource: p.get('resource'), limit: 300 })}`);
      const rows = list.data as Obj[];
      // The Workbench's own calls (and its live stream) are noise unless someone asks to see them.
      return p.get('own') === 'show' ? rows : rows.filter((r) => !isOwnRequest(r.requestId) && r.path !== '/_sim/live');
    },
    columns: [
      { label: t('time'), value: (r) => shortTime(r.at) },
      { label: t('method'), value: (r) => r.method },
      { label: t('path'), value: (r) => r.path },
      { label: t('status'), value: (r) => badge(String(r.status), toneOf(r.status)) },
      { label: t('duration'), value: (r) => `${r.durationMs} ms` },
      { label: t('idempotencyKey'), value: (r) => r.idempotencyKey ?? '' },
      { label: t('source'), value: (r) => r.source },
    ],
    rowId: (r) => r.requestId,
    emptyText: ['noRequests', 'noRequestsNext'],
    detail: async (id, rows) => {
      const entry = rows.find((r) => r.requestId === id) ?? (await api(`/_sim/requests${query({ limit: 1000 })}`)).data.find((r: Obj) => r.requestId === id);
      if (!entry) throw new Error(t('notFound', { id }));
      const objectId = entry.responseBody?.id;
      return [
        h('h2', {}, `${entry.method} ${entry.path}`),
        h('p', { class: 'badges' }, badge(String(entry.status), toneOf(entry.status)), ` ${entry.durationMs} ms · ${entry.requestId} · ${shortTime(entry.at)}`),
        entry.responseBody?.error ? h('div', { class: 'callout callout-bad', role: 'note' }, `${entry.responseBody.error.code}: ${entry.responseBody.error.message}`) : null,
        h('p', { class: 'links' },
          typeof objectId === 'string' ? h('a', { href: objectLink(objectId) }, t('openObject', { id: objectId })) : null),
        entry.eventIds?.length ? section(t('eventsItEmitted'), h('ul', {}, entry.eventIds.map((e: string) => h('li', {}, h('a', { href: link('events', e) }, e))))) : null,
        section(t('requestBody'), jsonView(entry.requestBody, t('requestBody'))),
        section(t('responseBody'), jsonView(entry.responseBody, t('responseBody'))),
        section(t('jsonOf', { what: entry.requestId }), jsonView(entry, entry.requestId)),
      ];
    },
  }, route);
}
