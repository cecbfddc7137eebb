// The shape most panels share: a filter form (its values live in the URL, so every view is a deep
// link), a list of rows linking to their detail, and the detail of the open object beside it.
import { ApiError } from './api.js';
import { empty, field, h, replace, select, table, type Column } from './dom.js';
import { t, type MessageKey } from './i18n.js';
import { link, withId, type Route } from './router.js';

export interface Filter {
  name: string;
  label: MessageKey;
  hint?: MessageKey;
  options?: Array<[string, string]>;
  placeholder?: string;
}

export interface ListDetailOptions<T> {
  panel: string;
  caption: MessageKey;
  filters: Filter[];
  rows(params: URLSearchParams): Promise<T[]>;
  columns: Array<Column<T>>;
  rowId(row: T): string;
  emptyText: [MessageKey, MessageKey];
  /**
   * The open object's view; rows already loaded are passed so a detail need not fetch twice, and
   * `reload` re-reads the current view after an action (a refund, a redelivery).
   */
  detail(id: string, rows: T[], route: Route, reload: () => void): Promise<Array<Node | null>>;
  /** Controls above the list (a create form). */
  extra?: (reload: () => void) => Node;
}

export interface PanelView {
  load(route: Route, focusDetail: boolean): Promise<void>;
}

/** An error as the person should read it: the API's own message, with its code and param. */
export function errorBox(e: unknown): HTMLElement {
  const message = e instanceof ApiError ? `${e.message}${e.param ? ` (${e.param})` : ''} [${e.status} ${e.code}]` : String((e as Error)?.message ?? e);
  return h('div', { class: 'error', role: 'alert' }, message);
}

export function filterForm(panel: string, filters: Filter[], route: Route): HTMLFormElement {
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': t('filters') });
  for (const f of filters) {
    const value = route.params.get(f.name) ?? '';
    const control = f.options
      ? select(f.name, [['', t('any')], ...f.options], value)
      : h('input', { name: f.name, type: 'search', value, placeholder: f.placeholder ?? null, autocomplete: 'off' });
    form.append(field(t(f.label), control, f.hint ? t(f.hint) : undefined));
  }
  form.append(h('button', { type: 'submit', class: 'btn btn-primary' }, t('apply')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const data = new FormData(form);
    location.hash = link(panel, undefined, Object.fromEntries([...data.entries()].map(([k, v]) => [k, String(v).trim()])));
  });
  return form;
}

export function mountListDetail<T>(root: HTMLElement, options: ListDetailOptions<T>, route: Route): PanelView {
  const list = h('section', { class: 'list', 'aria-label': t(options.caption), 'aria-busy': 'false' });
  const detail = h('section', { class: 'detail', 'aria-label': t('details'), tabindex: -1 });
  const top = h('div', { class: 'panel-top' }, filterForm(options.panel, options.filters, route));
  let current = route;
  const reload = () => void view.load(current, false);
  const view: PanelView = {
    async load(next, focusDetail) {
      current = next;
      list.setAttribute('aria-busy', 'true');
      let rows: T[] = [];
      try {
        rows = await options.rows(next.params);
        const selected = next.id ? withId(next, next.id) : undefined;
        replace(list, rows.length === 0 ? empty(...options.emptyText) : table(t(options.caption), rows, options.columns, (r) => withId(next, options.rowId(r)), selected));
      } catch (e) {
        replace(list, errorBox(e));
      }
      list.setAttribute('aria-busy', 'false');
      if (!next.id) {
        replace(detail, h('p', { class: 'muted' }, t('pickOne')));
        return;
      }
      try {
        replace(detail, ...(await options.detail(next.id, rows, next, reload)));
      } catch (e) {
        replace(detail, errorBox(e));
      }
      if (focusDetail) detail.focus();
    },
  };
  if (options.extra) top.append(options.extra(reload));
  replace(root, top, h('div', { class: 'split' }, list, detail));
  return view;
}

/** A titled part of a detail view. */
export function section(title: string, ...children: Array<Node | string | null>): HTMLElement {
  return h('section', { class: 'part' }, h('h3', {}, title), ...children);
}
