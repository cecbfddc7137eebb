// Magic cards and test values: which card number does what, each with a copy button.
import { api } from '../api.js';
import { badge, copyButton, h, replace, table, toneOf } from '../dom.js';
import { t } from '../i18n.js';
import { errorBox, section, type PanelView } from '../list-detail.js';

type Obj = Record<string, any>;

/** Values the pay forms and /_sim pay accept beside the card number. */
const OTHER_VALUES: Array<[string, string]> = [['expiry', '01/39'], ['cvc', '100']];

export function mountMagic(root: HTMLElement): PanelView {
  const body = h('div');
  replace(root, body);
  return {
    async load() {
      try {
        const cards = (await api('/_sim/magic')).data as Obj[];
        replace(body,
          section(t('magicCards'), table(t('magicCards'), cards, [
            { label: t('cardNumber'), value: (c) => h('span', { class: 'copyable' }, h('code', {}, c.number), ' ', copyButton(c.number, c.number)) },
            { label: t('outcome'), value: (c) => badge(c.outcome, toneOf(c.outcome)) },
            { label: t('brand'), value: (c) => `${c.brand} ${c.funding}` },
            { label: t('description'), value: (c) => c.description + (c.decline ? ` (${c.decline.declineCode ?? c.decline.code})` : '') },
          ], () => undefined)),
          section(t('otherValues'), h('ul', {}, OTHER_VALUES.map(([name, value]) => h('li', {}, `${t(name === 'expiry' ? 'expiry' : 'cvc')}: `, h('code', {}, value), ' ', copyButton(value, name))))));
      } catch (e) {
        replace(body, errorBox(e));
      }
    },
  };
}
