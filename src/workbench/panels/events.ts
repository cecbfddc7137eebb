// Events: the namespace's events filtered by type (exact, family.* or *) and resource; an event's
// payload and its webhook deliveries with every attempt (request sent, answer, latency); redeliver.
import { api, query } from '../api.js';
import { announce, badge, button, h, jsonView, shortTime, toneOf } from '../dom.js';
import { t } from '../i18n.js';
import { errorBox, mountListDetail, section, type PanelView } from '../list-detail.js';
import { link, type Route } from '../router.js';

type Obj = Record<string, any>;
/** Pages read at most to find an event a deep link names (10,000 events, the default cap). */
const MAX_PAGES = 100;

async function findEvent(id: string, rows: Obj[]): Promise<Obj> {
  const hit = rows.find((e) => e.id === id);
  if (hit) return hit;
  for (let page = 1; page <= MAX_PAGES; page++) {
    const list = await api(`/_sim/events${query({ page, limit: 100 })}`);
    const found = list.data.find((e: Obj) => e.id === id);
    if (found) return found;
    if (page >= list.totalPages) break;
  }
  throw new Error(t('notFound', { id }));
}

/** A body as sent or received: indented when it is JSON (the signature covers the raw bytes, not this view). */
function pretty(raw: string | null | undefined): string {
  if (!raw) return '';
  try {
    return JSON.stringify(JSON.parse(raw), null, 2);
  } catch {
    return raw;
  }
}

function attemptView(a: Obj, delivery: Obj): HTMLElement {
  return h('li', { class: 'attempt' },
    h('p', {},
      h('strong', {}, t('attemptN', { n: String(a.attempt) })), ' ',
      badge(a.responseStatus === null ? (a.error ? t('noAnswer') : '…') : String(a.responseStatus), toneOf(a.responseStatus ?? (a.error ? 'failed' : 'pending'))), ' ',
      `${shortTime(a.startedAt)} · ${a.trigger} · ${a.latencyMs === null ? '—' : `${a.latencyMs} ms`}`),
    a.error ? h('p', { class: 'error-text' }, a.error) : null,
    h('details', {}, h('summary', {}, t('requestSent')),
      jsonView(a.requestHeaders, t('requestHeaders')),
      h('pre', { class: 'json', tabindex: 0, role: 'region', 'aria-label': t('requestBody') }, pretty(delivery.requestBody))),
    h('details', {}, h('summary', {}, t('answerReceived')),
      h('pre', { class: 'json', tabindex: 0, role: 'region', 'aria-label': t('responseBody') }, a.responseBody === null ? t('nothing') : pretty(a.responseBody))));
}

export function deliveryView(d: Obj, reload: () => void): HTMLElement {
  const out = h('div', { role: 'status' });
  return h('article', { class: 'delivery', 'aria-label': `${t('delivery')} ${d.id}` },
    h('h4', {}, `${d.url} `, badge(d.status, toneOf(d.status))),
    h('p', { class: 'muted' }, `${d.id} · ${d.eventType} · ${t('attempts')}: ${d.attemptCount}${d.nextAttemptAt ? ` · ${t('nextAttempt')} ${shortTime(d.nextAttemptAt)}` : ''}`),
    button(t('redeliver'), () => {
      api(`/_sim/deliveries/${encodeURIComponent(d.id)}/redeliver`, { method: 'POST' }).then(
        (after) => {
          announce(t('redelivered', { n: String(after.attemptCount) }));
          reload();
        },
        (e) => out.replaceChildren(errorBox(e)),
      );
    }, 'primary', { 'aria-label': `${t('redeliver')} ${d.id}` }),
    out,
    h('ol', { class: 'attempts' }, (d.attempts ?? []).map((a: Obj) => attemptView(a, d))));
}

export async function deliveriesSection(params: Record<string, string>, reload: () => void): Promise<HTMLElement> {
  const list = await api(`/_sim/deliveries${query({ ...params, limit: 50 })}`);
  if (list.data.length === 0) return section(t('deliveries'), h('p', { class: 'muted' }, t('noDeliveries')), h('p', {}, h('a', { href: link('webhooks') }, t('addEndpointNext'))));
  return section(t('deliveries'), ...list.data.map((d: Obj) => deliveryView(d, reload)));
}

/** Where an object id leads: payments open in Payments, anything else in the request log filtered by it. */
export function objectLink(id: string): string {
  if (/^(cs|pi|ch|re)_/.test(id)) return link('payments', id);
  if (id.startsWith('cus_')) return link('customers', id);
  if (/^(prod|plink|coupon)_/.test(id)) return link('catalog', id);
  return link('requests', undefined, { resource: id });
}

export function mountEvents(root: HTMLElement, route: Route): PanelView {
  return mountListDetail<Obj>(root, {
    panel: 'events',
    caption: 'events',
    filters: [
      { name: 'type', label: 'eventType', hint: 'eventTypeHint', placeholder: 'charge.*' },
      { name: 'resourceId', label: 'resource', hint: 'resourceHint' },
    ],
    rows: async (p) => (await api(`/_sim/events${query({ type: p.get('type'), resourceId: p.get('resourceId'), limit: 100 })}`)).data,
    columns: [
      { label: 'id', value: (e) => e.id },
      { label: t('eventType'), value: (e) => e.type },
      { label: t('object'), value: (e) => e.data?.object?.id ?? '' },
      { label: t('created'), value: (e) => shortTime(e.created) },
    ],
    rowId: (e) => e.id,
    emptyText: ['noEvents', 'noEventsNext'],
    detail: async (id, rows, _route, reload) => {
      const event = await findEvent(id, rows);
      const objectId = event.data?.object?.id;
      return [
        h('h2', {}, `${event.type}`),
        h('p', { class: 'muted' }, `${event.id} · ${shortTime(event.created)}`),
        objectId ? h('p', { class: 'links' }, h('a', { href: objectLink(objectId) }, t('openObject', { id: objectId }))) : null,
        await deliveriesSection({ eventId: event.id }, reload),
        section(t('payload'), jsonView(event, event.id)),
      ];
    },
  }, route);
}
