// Catalog: products (with their prices), payment links and coupons, each searchable, with the JSON
// the API returns for the open one.
import { api, query } from '../api.js';
import { badge, h, jsonView, money, shortTime, toneOf } from '../dom.js';
import { t } from '../i18n.js';
import { mountListDetail, section, type PanelView } from '../list-detail.js';
import { link, type Route } from '../router.js';

type Obj = Record<string, any>;
type Kind = 'products' | 'links' | 'coupons';

function kindOf(params: URLSearchParams): Kind {
  const k = params.get('kind');
  return k === 'links' || k === 'coupons' ? k : 'products';
}

async function rows(p: URLSearchParams): Promise<Obj[]> {
  const search = p.get('search') ?? '';
  switch (kindOf(p)) {
    case 'links':
      return (await api(`/payment-links${query({ search, limit: 100 })}`)).data;
    case 'coupons': {
      const all = await api('/_sim/coupons');
      const list = [...all.coupons, ...(all.promotionCodes ?? [])] as Obj[];
      return list.filter((c) => !search || JSON.stringify(c).toLowerCase().includes(search.toLowerCase()));
    }
    default:
      return (await api(`/products${query({ search, limit: 100 })}`)).data;
  }
}

function label(row: Obj): string {
  return row.name ?? row.code ?? row.url ?? row.id;
}

function amountOf(row: Obj): string {
  if (Array.isArray(row.prices)) return row.prices.map((p: Obj) => money(p.unitAmount, p.currency)).join(', ');
  if (row.percentOff) return `${row.percentOff}%`;
  if (row.amountOff) return money(row.amountOff, row.currency);
  return '';
}

async function detail(id: string, rowsShown: Obj[]): Promise<Obj> {
  if (id.startsWith('prod_')) return api(`/products/${encodeURIComponent(id)}`);
  if (id.startsWith('plink_')) return api(`/payment-links/${encodeURIComponent(id)}`);
  const hit = rowsShown.find((r) => r.id === id) ?? (await rows(new URLSearchParams({ kind: 'coupons' }))).find((r) => r.id === id);
  if (!hit) throw new Error(t('notFound', { id }));
  return hit;
}

export function mountCatalog(root: HTMLElement, route: Route): PanelView {
  return mountListDetail<Obj>(root, {
    panel: 'catalog',
    caption: 'catalog',
    filters: [
      { name: 'kind', label: 'kind', options: [['products', t('products')], ['links', t('paymentLinks')], ['coupons', t('coupons')]] },
      { name: 'search', label: 'search' },
    ],
    rows,
    columns: [
      { label: 'id', value: (r) => r.id },
      { label: t('name'), value: (r) => label(r) },
      { label: t('amount'), value: (r) => amountOf(r) },
      { label: t('status'), value: (r) => (r.active === undefined ? '' : badge(r.active ? t('active') : t('inactive'), toneOf(r.active))) },
      { label: t('created'), value: (r) => shortTime(r.createdAt) },
    ],
    rowId: (r) => r.id,
    emptyText: ['noCatalog', 'noCatalogNext'],
    detail: async (id, shown) => {
      const obj = await detail(id, shown);
      return [
        h('h2', {}, label(obj)),
        h('p', { class: 'links' },
          h('a', { href: link('requests', undefined, { resource: obj.id }) }, t('itsRequests')), ' · ',
          h('a', { href: link('events', undefined, { resourceId: obj.id }) }, t('itsEvents')),
          obj.url ? [' · ', h('a', { href: obj.url, target: '_blank', rel: 'noopener' }, t('openPage'))] : null),
        section(t('jsonOf', { what: obj.id }), jsonView(obj, obj.id)),
      ];
    },
  }, route);
}
