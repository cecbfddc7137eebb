// Namespaces (admin): with the simulator's admin key (sent as XPay-Sim-Admin, never as Bearer), the
// namespaces it holds. Without one configured the simulator refuses, and the panel says so.
import { api, rememberAdminKey, storedAdminKey } from '../api.js';
import { empty, field, h, replace, table } from '../dom.js';
import { t } from '../i18n.js';
import { errorBox, section, type PanelView } from '../list-detail.js';

type Obj = Record<string, any>;

export function mountNamespaces(root: HTMLElement): PanelView {
  const list = h('div', { 'aria-live': 'polite' });
  const admin = h('input', { name: 'admin', type: 'password', autocomplete: 'off', value: storedAdminKey() ?? '' });
  const load = async () => {
    if (!storedAdminKey()) return replace(list, empty('adminNeeded', 'adminNeededNext'));
    try {
      const spaces = (await api('/_sim/namespaces', { admin: true })).data as Obj[];
      replace(list, table(t('namespaces'), spaces, [
        { label: t('key'), value: (n) => h('code', {}, n.key) },
        { label: t('mode'), value: (n) => (n.livemode ? 'live' : 'test') },
        { label: t('snapshots'), value: (n) => String(n.snapshots) },
      ], () => undefined));
    } catch (e) {
      replace(list, errorBox(e));
    }
  };
  const form = h('form', { class: 'inline-form', 'aria-label': t('adminKey') }, field(t('adminKey'), admin, t('adminKeyHint')), h('button', { type: 'submit', class: 'btn btn-primary' }, t('apply')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    rememberAdminKey(admin.value.trim() || null);
    void load();
  });
  replace(root, section(t('adminKey'), form), section(t('namespaces'), list));
  return { load };
}
