// What the card frame checks before sending anything, and how an Appearance becomes CSS variables.
import { describe, expect, it } from 'vitest';
import { checkCard } from '../../src/sdk/frame/card-fields.js';
import { appearanceVariables } from '../../src/sdk/shared/appearance.js';

describe('card fields', () => {
  const good = { number: '4242 4242 4242 4242', exp: '01 / 39', cvc: '100', name: 'Amina Hassan' };

  it('reads a complete card into number, month, four-digit year, cvc and name', () => {
    expect(checkCard(good)).toEqual({ ok: true, card: { number: '4242424242424242', expMonth: 1, expYear: 2039, cvc: '100', name: 'Amina Hassan' } });
    expect(checkCard({ ...good, exp: '12/2031' })).toMatchObject({ ok: true, card: { expMonth: 12, expYear: 2031 } });
  });

  it('names the first field that is incomplete', () => {
    expect(checkCard({ ...good, number: '4242 4242 4242 4241' })).toMatchObject({ ok: false, param: 'card.number' });
    expect(checkCard({ ...good, exp: '13/39' })).toMatchObject({ ok: false, param: 'card.exp' });
    expect(checkCard({ ...good, cvc: '1' })).toMatchObject({ ok: false, param: 'card.cvc' });
    expect(checkCard({ ...good, name: ' ' })).toMatchObject({ ok: false, param: 'card.name' });
  });
});

describe('appearance', () => {
  it('maps hex colours, border style and font to the stylesheet variables', () => {
    expect(appearanceVariables({ colors: { primary: '#112233', foreground: '#000', destructive: '#ff0000' }, borderStyle: 'pill', fontFamily: 'Cairo, sans-serif' })).toEqual({
      '--primary': '#112233', '--fg': '#000', '--error': '#ff0000', '--radius': '24px', '--radius-input': '999px', '--font': 'Cairo, sans-serif',
    });
  });

  it('ignores what is not a hex colour or a known style (no CSS injection)', () => {
    expect(appearanceVariables({ colors: { primary: 'red;}body{display:none' }, borderStyle: 'round', fontFamily: 'x;}*{color:red' })).toEqual({});
    expect(appearanceVariables(null)).toEqual({});
  });
});
