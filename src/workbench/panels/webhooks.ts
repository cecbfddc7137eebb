// Webhook endpoints: the namespace's endpoints, add one (its signing secret is shown once), and an
// endpoint's deliveries with every attempt.
import { api } from '../api.js';
import { badge, field, h, jsonView, replace, shortTime, toneOf } from '../dom.js';
import { t } from '../i18n.js';
import { errorBox, mountListDetail, section, type PanelView } from '../list-detail.js';
import { link, type Route } from '../router.js';
import { deliveriesSection } from './events.js';

type Obj = Record<string, any>;

function createForm(reload: () => void): HTMLElement {
  const url = h('input', { name: 'url', type: 'url', required: true, placeholder: 'http://127.0.0.1:3000/hooks', autocomplete: 'off' });
  const events = h('input', { name: 'enabledEvents', type: 'text', value: '*', autocomplete: 'off' });
  const out = h('div', { role: 'status' });
  const form = h('form', { class: 'inline-form', 'aria-label': t('addEndpoint') },
    field(t('endpointUrl'), url), field(t('enabledEvents'), events, t('enabledEventsHint')),
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('addEndpoint')), out);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const enabledEvents = events.value.split(',').map((s) => s.trim()).filter(Boolean);
    api('/webhook-endpoints', { method: 'POST', body: { url: url.value.trim(), enabledEvents } }).then((endpoint) => {
      replace(out, h('div', { class: 'callout' }, t('secretOnce'), ' ', h('code', {}, endpoint.secret)));
      reload();
    }, (e) => replace(out, errorBox(e)));
  });
  return form;
}

export function mountWebhooks(root: HTMLElement, route: Route): PanelView {
  return mountListDetail<Obj>(root, {
    panel: 'webhooks',
    caption: 'webhookEndpoints',
    filters: [{ name: 'status', label: 'deliveryStatus', options: [['pending', 'pending'], ['succeeded', 'succeeded'], ['failed', 'failed']] }],
    rows: async () => (await api('/webhook-endpoints')).data,
    columns: [
      { label: 'id', value: (w) => w.id },
      { label: t('endpointUrl'), value: (w) => w.url },
      { label: t('status'), value: (w) => badge(w.status, toneOf(w.status)) },
      { label: t('enabledEvents'), value: (w) => w.enabledEvents.join(', ') },
      { label: t('created'), value: (w) => shortTime(w.createdAt) },
    ],
    rowId: (w) => w.id,
    emptyText: ['noEndpoints', 'noEndpointsNext'],
    extra: (again) => createForm(again),
    detail: async (id, _rows, r, reload) => {
      const endpoint = await api(`/webhook-endpoints/${encodeURIComponent(id)}`);
      const status = r.params.get('status') ?? undefined;
      return [
        h('h2', {}, endpoint.url),
        h('p', { class: 'links' }, h('a', { href: link('requests', undefined, { resource: endpoint.id }) }, t('itsRequests'))),
        await deliveriesSection(status ? { endpointId: endpoint.id, status } : { endpointId: endpoint.id }, reload),
        section(t('jsonOf', { what: endpoint.id }), jsonView(endpoint, endpoint.id)),
      ];
    },
  }, route);
}
