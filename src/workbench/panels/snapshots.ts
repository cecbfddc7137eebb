// Snapshots: save the namespace under a name, restore or delete one, export the namespace as a
// fixture document (downloaded as a file).
import { api } from '../api.js';
import { announce, button, empty, field, h, replace, shortTime, table } from '../dom.js';
import { t } from '../i18n.js';
import { errorBox, section, type PanelView } from '../list-detail.js';

type Obj = Record<string, any>;

function download(name: string, value: unknown): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(value, null, 2)], { type: 'application/json' }));
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function mountSnapshots(root: HTMLElement): PanelView {
  const list = h('div');
  const out = h('div', { role: 'status' });
  const name = h('input', { name: 'name', type: 'text', required: true, placeholder: 'before-refunds', autocomplete: 'off' });
  const act = (p: Promise<unknown>, message: string) => p.then(() => (announce(message), replace(out), load()), (e) => replace(out, errorBox(e)));
  const load = async () => {
    try {
      const snaps = (await api('/_sim/snapshots')).data as Obj[];
      replace(list, snaps.length === 0 ? empty('noSnapshots', 'noSnapshotsNext') : table(t('snapshots'), snaps, [
        { label: t('name'), value: (s) => s.name },
        { label: t('takenAt'), value: (s) => shortTime(s.takenAt) },
        { label: t('size'), value: (s) => `${s.bytes} B` },
        { label: t('actions'), value: (s) => [
          button(t('restore'), () => void act(api(`/_sim/snapshots/${encodeURIComponent(s.name)}/restore`, { method: 'POST' }), t('restoredSnap', { name: s.name })), 'primary', { 'aria-label': `${t('restore')} ${s.name}` }), ' ',
          button(t('remove'), () => void act(api(`/_sim/snapshots/${encodeURIComponent(s.name)}`, { method: 'DELETE' }), t('removed', { id: s.name })), 'danger', { 'aria-label': `${t('remove')} ${s.name}` }),
        ] },
      ], () => undefined));
    } catch (e) {
      replace(list, errorBox(e));
    }
  };
  const form = h('form', { class: 'inline-form', 'aria-label': t('saveSnapshot') }, field(t('name'), name), h('button', { type: 'submit', class: 'btn btn-primary' }, t('saveSnapshot')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void act(api('/_sim/snapshots', { method: 'POST', body: { name: name.value.trim() } }), t('savedSnap', { name: name.value.trim() }));
  });
  const exportButton = button(t('exportNamespace'), () => {
    api('/_sim/export').then((doc) => download('xpay-sim-namespace.json', doc), (e) => replace(out, errorBox(e)));
  });
  replace(root, section(t('saveSnapshot'), form, h('p', {}, exportButton), out), section(t('snapshots'), list));
  return { load };
}
