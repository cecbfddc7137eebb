// Balance and ledger: balances per account and currency, the invariants with an ok / broken badge
// (and what broke), and the double-entry postings, filtered by the object they come from.
import { api } from '../api.js';
import { badge, empty, h, jsonView, money, replace, shortTime, table } from '../dom.js';
import { t } from '../i18n.js';
import { errorBox, filterForm, section, type PanelView } from '../list-detail.js';
import { link, type Route } from '../router.js';
import { objectLink } from './events.js';

type Obj = Record<string, any>;

function balances(ledger: Obj): HTMLElement {
  const rows: Array<{ account: string; currency: string; amount: number }> = [];
  for (const [account, byCurrency] of Object.entries(ledger.balances as Record<string, Record<string, number>>)) {
    for (const [currency, amount] of Object.entries(byCurrency)) rows.push({ account, currency, amount });
  }
  if (rows.length === 0) return empty('noBalances', 'noBalancesNext');
  return table(t('balances'), rows, [
    { label: t('account'), value: (r) => r.account },
    { label: t('currency'), value: (r) => r.currency },
    { label: t('amount'), value: (r) => h('span', { class: 'num' }, money(r.amount, r.currency)) },
  ], () => undefined);
}

function invariants(ledger: Obj): HTMLElement {
  const inv = ledger.invariants as Obj;
  const checks = Object.entries(inv).filter(([k]) => k !== 'ok') as Array<[string, Obj]>;
  return h('div', {},
    h('p', {}, inv.ok ? badge(t('ledgerOk'), 'ok') : badge(t('ledgerBroken'), 'bad')),
    h('ul', { class: 'checks' }, checks.map(([name, c]) => h('li', {}, badge(c.ok ? t('ok') : t('broken'), c.ok ? 'ok' : 'bad'), ` ${name}`,
      c.ok ? null : jsonView(c.details, name)))));
}

export function mountLedger(root: HTMLElement, route: Route): PanelView {
  const body = h('div', { class: 'stack' });
  replace(root, h('div', { class: 'panel-top' }, filterForm('ledger', [{ name: 'source', label: 'sourceObject', hint: 'sourceHint' }], route)), body);
  return {
    async load(r) {
      try {
        const ledger = await api('/_sim/ledger');
        const source = r.params.get('source') ?? '';
        const entries = (ledger.entries as Obj[]).filter((e) => !source || e.sourceId.includes(source) || e.id === source).reverse();
        replace(body,
          section(t('invariants'), invariants(ledger)),
          section(t('balances'), balances(ledger)),
          section(t('postings'), entries.length === 0 ? empty('noPostings', 'noPostingsNext') : table(t('postings'), entries, [
            { label: t('time'), value: (e) => shortTime(e.createdAt) },
            { label: t('kind'), value: (e) => e.kind },
            { label: t('sourceObject'), value: (e) => h('a', { href: objectLink(e.sourceId) }, e.sourceId) },
            { label: t('postings'), value: (e) => h('ul', { class: 'postings' }, e.postings.map((p: Obj) => h('li', {}, `${p.account} ${money(p.amount, p.currency)}`))) },
          ], () => undefined)),
          h('p', {}, h('a', { href: link('requests', undefined, { path: '/_sim/ledger', own: 'show' }) }, t('rawLedger'))));
      } catch (e) {
        replace(body, errorBox(e));
      }
    },
  };
}
