// The hosted pages' catalogue: every key in both locales, the same placeholders, Arabic words on
// the Arabic side, and a catalogue entry (not a fallback) for every decline the simulator can give.
import { describe, expect, it } from 'vitest';
import { CATALOGUES } from '../../src/pages/i18n.js';
import { declineMessage, refusalMessage } from '../../src/pages/shopper-errors.js';
import { MAGIC_CARDS, THREE_D_SECURE_FAILED } from '../../src/payments/magic-cards.js';
import { ASYNC_EXPIRED, ASYNC_FAILED, COD_REFUSED, PHONE_DECLINES } from '../../src/payments/magic-phones.js';
import { money, longDate } from '../../src/pages/money.js';
import { CURRENCIES } from '../../src/core/money.js';

/** Every leaf of a catalogue as "path → text". */
function leaves(node: unknown, path = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof node === 'string') out.set(path, node);
  else for (const [k, v] of Object.entries(node as Record<string, unknown>)) for (const [p, s] of leaves(v, path ? `${path}.${k}` : k)) out.set(p, s);
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
/** Latin words left once isolated runs (U+2066/U+2068 … U+2069: brand names, data) are taken out. */
const latinOutsideIsolates = (text: string) => text.replace(/[\u2066\u2067\u2068][^\u2069]*\u2069/g, '').match(/[A-Za-z]+/g) ?? [];

describe('page catalogue', () => {
  const en = leaves(CATALOGUES.en);
  const ar = leaves(CATALOGUES.ar);

  it('has every key in both locales, none empty, with the same placeholders', () => {
    expect(en.size).toBeGreaterThan(150);
    expect([...ar.keys()].sort()).toEqual([...en.keys()].sort());
    for (const [key, text] of en) {
      expect(text.trim(), `en.${key}`).not.toBe('');
      expect(ar.get(key)!.trim(), `ar.${key}`).not.toBe('');
      expect(placeholders(ar.get(key)!), `placeholders of ${key}`).toEqual(placeholders(text));
    }
  });

  it('writes Arabic in Arabic: no Latin word outside an isolated brand name or placeholder', () => {
    // `{name}` placeholders are filled with data at render time: their names are not words on the page.
    const latin = [...ar].flatMap(([key, text]) => latinOutsideIsolates(text.replace(/\{\w+\}/g, '')).map((w) => `${key}: ${w}`));
    expect(latin).toEqual([]);
  });

  it('has its own words for every decline a magic card, phone or pay-later outcome gives', () => {
    const declines = [...MAGIC_CARDS.flatMap((c) => (c.decline ? [c.decline] : [])), THREE_D_SECURE_FAILED, ...Object.values(PHONE_DECLINES), ASYNC_EXPIRED, ASYNC_FAILED, COD_REFUSED];
    expect(declines.length).toBeGreaterThan(12);
    for (const locale of ['en', 'ar'] as const) {
      const t = CATALOGUES[locale];
      const fallbacks = [t.cardDeclines.card_declined, t.methodDeclines.payment_declined];
      for (const d of declines) {
        const message = declineMessage(d, t);
        // A card decline may read "declined" (lost/stolen: the shopper is not told why), but then by its own key.
        const own = d.type === 'card_error' ? (t.cardDeclines as Record<string, string>)[d.declineCode ?? d.code] : (t.methodDeclines as Record<string, string>)[d.declineCode ?? d.code];
        expect(own, `${locale} ${d.declineCode ?? d.code}`).toBeDefined();
        expect(message).toBe(own);
        if (!['generic_decline', 'lost_card', 'stolen_card'].includes(d.declineCode ?? '')) expect(fallbacks, `${locale} ${d.declineCode}`).not.toContain(message);
      }
    }
    // The English words are the ones the API's own error message gives the shopper.
    for (const d of declines.filter((x) => x.type === 'card_error')) expect(declineMessage(d, CATALOGUES.en)).toBe(d.message);
  });

  it('words a refusal by its code and fills in what it names, else by the field it concerns', () => {
    const ar = CATALOGUES.ar;
    expect(refusalMessage('promotion_code_expired', { field: 'code', params: { code: 'EID25' } }, CATALOGUES.en)).toBe('The promotion code EID25 has expired.');
    expect(refusalMessage('promotion_code_expired', { field: 'code', params: { code: 'EID25' } }, ar)).toBe('انتهت صلاحية رمز الخصم \u2066EID25\u2069.');
    expect(refusalMessage('line_item_quantity_out_of_bounds', { field: 'qty_li_1', params: { min: 1, max: 5 } }, ar)).toBe('اختر كمية من 1 إلى 5.');
    expect(refusalMessage('parameter_missing', { field: 'shipping_city' }, ar)).toBe(ar.required);
    expect(refusalMessage('parameter_invalid', { field: 'email' }, ar)).toBe(ar.badEmail);
    expect(refusalMessage('parameter_invalid', { field: 'custom_size' }, ar)).toBe(ar.checkField);
    expect(refusalMessage('something_new', { field: null }, ar)).toBe(ar.serviceErrors.generic);
  });
});

describe('numbers and dates on the pages', () => {
  it('prints every currency in one digit system per locale, Western digits in Arabic too, and no Latin letters there', () => {
    for (const currency of CURRENCIES) {
      const ar = money(149950, currency, 'ar');
      expect(ar, currency).not.toMatch(/[\u0660-\u0669\u06f0-\u06f9]/);
      expect(ar, currency).toMatch(/\d/);
      expect(ar, currency).not.toMatch(/[A-Za-z]/);
    }
    expect(money(149900, 'EGP', 'en')).toBe('EGP 1,499.00');
    expect(money(12345, 'KWD', 'ar')).toContain('12.345');
  });

  it('writes dates with the month as a word, in the page language and digits', () => {
    expect(longDate('2026-03-01T10:00:00.000Z', 'en')).toBe('March 1, 2026');
    expect(longDate('2026-03-01T10:00:00.000Z', 'ar')).toBe('1 مارس 2026');
  });
});
