// Customers: search by name, email or phone; a customer's record and stats as the API returns them,
// with links to their payments, requests and events.
import { api, query } from '../api.js';
import { h, jsonView, money, shortTime } from '../dom.js';
import { t } from '../i18n.js';
import { mountListDetail, section, type PanelView } from '../list-detail.js';
import { link, type Route } from '../router.js';

type Obj = Record<string, any>;

export function mountCustomers(root: HTMLElement, route: Route): PanelView {
  return mountListDetail<Obj>(root, {
    panel: 'customers',
    caption: 'customers',
    filters: [{ name: 'search', label: 'search', hint: 'searchCustomersHint' }],
    rows: async (p) => (await api(`/customers${query({ search: p.get('search'), limit: 100 })}`)).data,
    columns: [
      { label: 'id', value: (c) => c.id },
      { label: t('name'), value: (c) => c.name ?? '' },
      { label: t('email'), value: (c) => c.email ?? '' },
      { label: t('spent'), value: (c) => money(c.spendData?.grossSpend, c.spendData?.currency) },
      { label: t('created'), value: (c) => shortTime(c.createdAt) },
    ],
    rowId: (c) => c.id,
    emptyText: ['noCustomers', 'noCustomersNext'],
    detail: async (id) => {
      const customer = await api(`/customers/${encodeURIComponent(id)}`);
      const stats = await api(`/customers/${encodeURIComponent(id)}/stats`).catch(() => null);
      return [
        h('h2', {}, customer.name ?? customer.email ?? customer.id),
        h('p', { class: 'links' },
          h('a', { href: link('payments', undefined, { search: customer.id }) }, t('theirPayments')), ' · ',
          h('a', { href: link('requests', undefined, { resource: customer.id }) }, t('itsRequests')), ' · ',
          h('a', { href: link('events', undefined, { resourceId: customer.id }) }, t('itsEvents'))),
        section(t('jsonOf', { what: customer.id }), jsonView(customer, customer.id)),
        stats ? section(t('stats'), jsonView(stats, t('stats'))) : null,
      ];
    },
  }, route);
}
