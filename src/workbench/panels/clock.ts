// Clock: the namespace's time and mode; advance by a duration or to an instant, then show what fell
// due (the events the move produced: expired sessions, settlements, webhook retries).
import { api, query } from '../api.js';
import { announce, empty, field, h, replace, select, shortTime, table } from '../dom.js';
import { t } from '../i18n.js';
import { errorBox, section, type PanelView } from '../list-detail.js';
import { link } from '../router.js';

type Obj = Record<string, any>;

async function newestEventId(): Promise<string | undefined> {
  return (await api(`/_sim/events${query({ limit: 1 })}`)).data[0]?.id;
}

/** Events emitted after `after` (newest first from the API; shown oldest first). */
async function eventsSince(after: string | undefined): Promise<Obj[]> {
  const page = (await api(`/_sim/events${query({ limit: 100 })}`)).data as Obj[];
  const cut = after === undefined ? page.length : page.findIndex((e) => e.id === after);
  return page.slice(0, cut === -1 ? page.length : cut).reverse();
}

export function mountClock(root: HTMLElement): PanelView {
  const now = h('div', { class: 'clock-now', role: 'status' });
  const result = h('div', { 'aria-live': 'polite' });
  const by = h('input', { name: 'by', type: 'text', placeholder: '15m', required: true, autocomplete: 'off' });
  const to = h('input', { name: 'to', type: 'text', placeholder: '2026-03-02T10:00:00Z', required: true, autocomplete: 'off' });
  const mode = select('mode', [['real', t('modeReal')], ['frozen', t('modeFrozen')], ['manual', t('modeManual')]]);
  const load = async () => {
    try {
      const clock = await api('/_sim/clock');
      mode.value = clock.mode;
      replace(now, h('p', { class: 'big' }, shortTime(clock.now)), h('p', {}, `${t('mode')}: ${clock.mode}`));
    } catch (e) {
      replace(now, errorBox(e));
    }
  };
  const move = async (body: Obj, path = '/_sim/clock/advance') => {
    try {
      const before = await newestEventId();
      const clock = await api(path, { method: 'POST', body });
      const due = await eventsSince(before);
      announce(t('clockMoved', { now: clock.now, n: String(due.length) }));
      replace(result, section(t('fellDue'), due.length === 0 ? empty('nothingDue', 'nothingDueNext') : table(t('fellDue'), due, [
        { label: t('event'), value: (e) => e.type },
        { label: t('object'), value: (e) => e.data?.object?.id ?? '' },
        { label: t('time'), value: (e) => shortTime(e.created) },
      ], (e) => link('events', e.id))));
      await load();
    } catch (e) {
      replace(result, errorBox(e));
    }
  };
  const form = (label: string, control: HTMLElement, submit: string, hint: string | undefined, run: () => void) => {
    const f = h('form', { class: 'inline-form', 'aria-label': label }, field(label, control as HTMLInputElement, hint), h('button', { type: 'submit', class: 'btn btn-primary' }, submit));
    f.addEventListener('submit', (ev) => {
      ev.preventDefault();
      run();
    });
    return f;
  };
  replace(root,
    section(t('clockNow'), now),
    form(t('advanceBy'), by, t('advance'), t('advanceByHint'), () => void move({ by: by.value.trim() })),
    form(t('advanceTo'), to, t('advance'), t('advanceToHint'), () => void move({ to: to.value.trim() })),
    form(t('mode'), mode, t('setMode'), t('modeHint'), () => void move({ mode: mode.value }, '/_sim/clock')),
    result);
  return { load };
}
