// Faults: the namespace's fault rules (and the global ones that reach it) with how often each
// matched and fired; add a rule, remove one.
import { api } from '../api.js';
import { announce, button, empty, field, h, replace, select, table } from '../dom.js';
import { t } from '../i18n.js';
import { errorBox, section, type PanelView } from '../list-detail.js';

type Obj = Record<string, any>;
const METHODS: Array<[string, string]> = ['GET', 'POST', 'PATCH', 'DELETE'].map((m) => [m, m]);

export function mountFaults(root: HTMLElement): PanelView {
  const list = h('div', { 'aria-live': 'polite' });
  const out = h('div', { role: 'status' });
  const method = select('method', [['', t('anyMethod')], ...METHODS]);
  const path = h('input', { name: 'path', type: 'text', placeholder: '/checkout/sessions', autocomplete: 'off' });
  const fault = h('input', { name: 'fault', type: 'text', placeholder: 'status=500', required: true, autocomplete: 'off' });
  const after = h('input', { name: 'after', type: 'number', min: 0, step: 1, value: 0 });
  const times = h('input', { name: 'times', type: 'number', min: 1, step: 1 });
  const load = async () => {
    try {
      const rules = (await api('/_sim/faults')).data as Obj[];
      replace(list, rules.length === 0 ? empty('noFaults', 'noFaultsNext') : table(t('faultRules'), rules, [
        { label: 'id', value: (r) => r.id },
        { label: t('method'), value: (r) => r.method ?? '*' },
        { label: t('path'), value: (r) => r.path ?? '*' },
        { label: t('fault'), value: (r) => h('code', {}, r.fault) },
        { label: t('after'), value: (r) => String(r.after) },
        { label: t('times'), value: (r) => (r.times === null ? '∞' : String(r.times)) },
        { label: t('matched'), value: (r) => h('span', { class: 'num', 'data-counter': 'matched' }, String(r.matched)) },
        { label: t('fired'), value: (r) => h('span', { class: 'num', 'data-counter': 'fired' }, String(r.fired)) },
        { label: t('actions'), value: (r) => r.key === null ? t('globalRule') : button(t('remove'), () => {
          api(`/_sim/faults/${encodeURIComponent(r.id)}`, { method: 'DELETE' }).then(() => (announce(t('removed', { id: r.id })), load()), (e) => replace(out, errorBox(e)));
        }, 'danger', { 'aria-label': `${t('remove')} ${r.id}` }) },
      ], () => undefined));
    } catch (e) {
      replace(list, errorBox(e));
    }
  };
  const form = h('form', { class: 'grid-form', 'aria-label': t('addFault') },
    field(t('method'), method), field(t('path'), path, t('faultPathHint')), field(t('fault'), fault, t('faultHint')),
    field(t('after'), after, t('afterHint')), field(t('times'), times, t('timesHint')),
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('addFault')), out);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const body: Obj = { fault: fault.value.trim() };
    if (method.value) body.method = method.value;
    if (path.value.trim()) body.path = path.value.trim();
    if (after.value) body.after = Number(after.value);
    if (times.value) body.times = Number(times.value);
    api('/_sim/faults', { method: 'POST', body }).then((rule) => {
      announce(t('added', { id: rule.id }));
      replace(out);
      void load();
    }, (e) => replace(out, errorBox(e)));
  });
  replace(root, section(t('addFault'), form), section(t('faultRules'), list));
  return { load };
}
