// The Workbench shell: asks for a key, then shows the panels (one per hash route), keeps the open
// panel fresh from the live stream, and switches language and direction.
import { api, ApiError, CLIENT_NAME, rememberKey, storedKey } from './api.js';
import { announce, field, h, replace, select } from './dom.js';
import { currentLang, LANGS, setLang, t, type MessageKey } from './i18n.js';
import { errorBox, type PanelView } from './list-detail.js';
import { connectLive, type LiveMessage, type LiveState } from './live.js';
import { link, parseHash, type Route } from './router.js';
import { mountPayments } from './panels/payments.js';
import { mountCustomers } from './panels/customers.js';
import { mountCatalog } from './panels/catalog.js';
import { mountLedger } from './panels/ledger.js';
import { mountEvents } from './panels/events.js';
import { mountWebhooks } from './panels/webhooks.js';
import { mountRequests } from './panels/requests.js';
import { mountClock } from './panels/clock.js';
import { mountFaults } from './panels/faults.js';
import { mountMagic } from './panels/magic.js';
import { mountSnapshots } from './panels/snapshots.js';
import { mountNamespaces } from './panels/namespaces.js';

interface PanelSpec {
  id: string;
  title: MessageKey;
  mount(root: HTMLElement, route: Route): PanelView;
}

const PANELS: PanelSpec[] = [
  { id: 'payments', title: 'payments', mount: mountPayments },
  { id: 'customers', title: 'customers', mount: mountCustomers },
  { id: 'catalog', title: 'catalog', mount: mountCatalog },
  { id: 'ledger', title: 'ledger', mount: mountLedger },
  { id: 'events', title: 'events', mount: mountEvents },
  { id: 'webhooks', title: 'webhookEndpoints', mount: mountWebhooks },
  { id: 'requests', title: 'requestLog', mount: mountRequests },
  { id: 'clock', title: 'clock', mount: mountClock },
  { id: 'faults', title: 'faults', mount: mountFaults },
  { id: 'magic', title: 'magicCards', mount: mountMagic },
  { id: 'snapshots', title: 'snapshots', mount: mountSnapshots },
  { id: 'namespaces', title: 'namespaces', mount: mountNamespaces },
];

const app = document.getElementById('app')!;
let open: { spec: PanelSpec; view: PanelView } | undefined;
let stopLive: (() => void) | undefined;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;

function shortKey(key: string): string {
  return key.length <= 14 ? key : `${key.slice(0, 10)}…${key.slice(-4)}`;
}

function keyForm(problem?: unknown): void {
  stopLive?.();
  const input = h('input', { name: 'key', type: 'password', required: true, autocomplete: 'off', spellcheck: 'false', placeholder: 'sk_test_…' });
  const form = h('form', { class: 'key-form', 'aria-labelledby': 'key-title' },
    h('h2', { id: 'key-title' }, t('openNamespace')),
    h('p', {}, t('keyIntro')),
    field(t('apiKey'), input, t('apiKeyHint')),
    problem ? errorBox(problem) : null,
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('open')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void openWithKey(input.value.trim());
  });
  replace(app, header(false), h('main', { id: 'main', tabindex: -1 }, form));
  input.focus();
}

/** Checks the key against the simulator (GET /account) before keeping it. */
async function openWithKey(key: string): Promise<void> {
  try {
    await api('/account', { key });
  } catch (e) {
    return keyForm(e instanceof ApiError && e.status === 401 ? new ApiError(401, e.code, t('keyRefused', { message: e.message })) : e);
  }
  rememberKey(key);
  shell();
}

function header(withKey: boolean): HTMLElement {
  const lang = select('lang', LANGS.map((l) => [l.code, l.name]), currentLang());
  lang.addEventListener('change', () => {
    setLang(lang.value as (typeof LANGS)[number]['code']);
    open = undefined;
    if (storedKey()) shell();
    else keyForm();
  });
  const key = storedKey();
  return h('header', { class: 'top' },
    h('h1', {}, h('a', { href: link('payments') }, t('title'))),
    withKey && key ? h('p', { class: 'ns' }, `${t('namespace')}: `, h('code', {}, shortKey(key)), ' ',
      h('button', { type: 'button', class: 'btn btn-secondary', onclick: () => (rememberKey(null), keyForm()) }, t('changeKey'))) : null,
    withKey ? h('p', { id: 'live', class: 'live', role: 'status' }, t('connecting')) : null,
    h('div', { class: 'lang' }, field(t('language'), lang)));
}

function nav(active: string): HTMLElement {
  return h('nav', { class: 'side', 'aria-label': t('sections') },
    h('ul', {}, PANELS.map((p) => h('li', {}, h('a', { href: link(p.id), 'aria-current': p.id === active ? 'page' : null }, t(p.title))))));
}

function shell(): void {
  const route = currentRoute();
  replace(app, header(true), h('div', { class: 'layout' }, nav(route.panel), h('main', { id: 'main', tabindex: -1 })));
  open = undefined;
  show(route, false);
  stopLive?.();
  stopLive = connectLive(onLive, liveState);
}

function currentRoute(): Route {
  const route = parseHash(location.hash);
  if (!PANELS.some((p) => p.id === route.panel)) route.panel = 'payments';
  return route;
}

function show(route: Route, moveFocus: boolean): void {
  const main = document.getElementById('main');
  if (!main) return;
  const spec = PANELS.find((p) => p.id === route.panel)!;
  if (open?.spec !== spec) {
    const body = h('div');
    replace(main, h('h2', { class: 'panel-title', id: 'panel-title' }, t(spec.title)), body);
    open = { spec, view: spec.mount(body, route) };
    document.title = `${t(spec.title)} · ${t('title')}`;
    for (const a of document.querySelectorAll('nav.side a')) {
      if (a.getAttribute('href') === link(spec.id)) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    if (moveFocus && !route.id) main.focus();
  }
  void open.view.load(route, moveFocus && route.id !== undefined);
}

function onLive(m: LiveMessage): void {
  if (m.event === 'ready') return;
  // The Workbench's own reads would otherwise refresh it forever.
  if (m.event === 'request' && m.data?.client === CLIENT_NAME) return;
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => open && void open.view.load(currentRoute(), false), 250);
}

function liveState(state: LiveState, detail?: string): void {
  const el = document.getElementById('live');
  if (!el) return;
  el.className = `live live-${state}`;
  el.textContent = state === 'live' ? t('live') : state === 'connecting' ? t('connecting') : `${t('offline')}${detail ? `: ${detail}` : ''}`;
}

window.addEventListener('hashchange', () => {
  if (storedKey()) show(currentRoute(), true);
});

document.addEventListener('keydown', (ev) => {
  const target = ev.target as HTMLElement;
  const typing = target.closest('input, select, textarea');
  // "/" jumps to the first filter, Escape closes the open object.
  if (ev.key === '/' && !typing) {
    const first = document.querySelector<HTMLElement>('main form input, main form select');
    if (first) {
      ev.preventDefault();
      first.focus();
    }
  } else if (ev.key === 'Escape' && !typing) {
    const route = currentRoute();
    if (route.id) {
      location.hash = link(route.panel, undefined, Object.fromEntries(route.params));
      announce(t('closed'));
    }
  }
});

setLang(currentLang());
if (storedKey()) shell();
else keyForm();
