// Building blocks of the Workbench's screens: elements made with h() (text always goes in as text,
// never as HTML, so nothing an API returns can inject markup), tables, JSON views, empty states.
import { t, type MessageKey } from './i18n.js';

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Array<Child | Child[]>): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.replace(/^on/, ''), value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

function append(el: Element, children: Array<Child | Child[]>): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'object' ? child : String(child));
  }
}

export function replace(el: Element, ...children: Array<Child | Child[]>): void {
  el.replaceChildren();
  append(el, children);
}

let idCounter = 0;
/** A unique id for label/control pairs. */
export function uid(prefix: string): string {
  return `${prefix}-${++idCounter}`;
}

/** A labelled form control: the label names the control for screen readers and tests alike. */
export function field(label: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, hint?: string): HTMLElement {
  control.id ||= uid('f');
  const hintEl = hint ? h('small', { id: `${control.id}-hint`, class: 'hint' }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hintEl);
}

export function select(name: string, options: Array<[string, string]>, value = ''): HTMLSelectElement {
  const el = h('select', { name });
  for (const [v, text] of options) el.append(h('option', { value: v, selected: v === value }, text));
  return el;
}

/** Pretty JSON exactly as the API returned it, in a focusable region so keyboard users can scroll it. */
export function jsonView(value: unknown, label: string): HTMLElement {
  return h('pre', { class: 'json', tabindex: 0, role: 'region', 'aria-label': label }, JSON.stringify(value, null, 2));
}

/** What an empty list means and what to do next. */
export function empty(what: MessageKey, next: MessageKey): HTMLElement {
  return h('div', { class: 'empty', role: 'status' }, h('p', {}, h('strong', {}, t(what))), h('p', {}, t(next)));
}

export interface Column<T> {
  label: string;
  value: (row: T) => Child | Child[];
}

/**
 * A table whose rows open a detail view: each row's first cell is a link (reachable with Tab, opened
 * with Enter) to the row's deep link.
 */
export function table<T>(caption: string, rows: T[], columns: Array<Column<T>>, href: (row: T) => string | undefined, selected?: string): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c.label)))),
      h(
        'tbody',
        {},
        rows.map((row) => {
          const link = href(row);
          return h(
            'tr',
            { 'aria-selected': link !== undefined && link === selected ? 'true' : null },
            columns.map((c, i) => {
              const value = c.value(row);
              return h('td', {}, i === 0 && link ? h('a', { href: link }, value as Child) : value);
            }),
          );
        }),
      ),
    ),
  );
}

export function badge(text: string, tone: 'ok' | 'bad' | 'warn' | 'neutral'): HTMLElement {
  return h('span', { class: `badge badge-${tone}` }, text);
}

/** Tone of an API status word (SUCCEEDED, failed, complete, 4xx…). */
export function toneOf(status: string | number | null | undefined): 'ok' | 'bad' | 'warn' | 'neutral' {
  const s = String(status ?? '').toLowerCase();
  if (/^2\d\d$|succeeded|complete|paid|enabled|^ok$|available|active|true/.test(s)) return 'ok';
  if (/^[45]\d\d$|failed|declined|expired|canceled|error|disabled|false/.test(s)) return 'bad';
  if (/pending|open|unpaid|processing|requires/.test(s)) return 'warn';
  return 'neutral';
}

/** Amount in minor units shown in major units with the currency (the exponent table of the simulator). */
export function money(amount: unknown, currency: unknown): string {
  if (typeof amount !== 'number') return '—';
  const cur = typeof currency === 'string' ? currency.toUpperCase() : '';
  const exponent = ['KWD', 'JOD', 'OMR', 'BHD', 'LYD'].includes(cur) ? 3 : 2;
  const major = (amount / 10 ** exponent).toFixed(exponent);
  return `${major} ${cur}`.trim();
}

export function button(label: string, onClick: () => void, kind: 'primary' | 'secondary' | 'danger' = 'secondary', attrs: Attrs = {}): HTMLButtonElement {
  return h('button', { type: 'button', class: `btn btn-${kind}`, onclick: () => onClick(), ...attrs }, label);
}

/** Copies text and says so in a live region. */
export function copyButton(text: string, label: string): HTMLButtonElement {
  const b = button(t('copy'), () => {
    void navigator.clipboard?.writeText(text).then(
      () => announce(t('copied', { what: text })),
      () => announce(t('copyFailed')),
    );
  }, 'secondary', { 'aria-label': `${t('copy')} ${label}` });
  return b;
}

/** Says something to screen readers (and shows it briefly in the status bar). */
export function announce(message: string): void {
  const region = document.getElementById('announce');
  if (region) region.textContent = message;
}

export function shortTime(iso: unknown): string {
  if (typeof iso !== 'string') return '—';
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}
