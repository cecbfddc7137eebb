import { describe, expect, it } from 'vitest';
import { redact, redactText } from '../../src/control/redact.js';

describe('redaction of logged text', () => {
  it.each([
    ['plain', 'card 4242424242424242 ok', 'card ************4242 ok'],
    ['spaces', 'card 4242 4242 4242 4242 ok', 'card **** **** **** 4242 ok'],
    ['dashes', 'card 4242-4242-4242-4242 ok', 'card ****-****-****-4242 ok'],
    ['dots', 'card 4242.4242.4242.4242 ok', 'card ****.****.****.4242 ok'],
    ['form +', 'number=4242+4242+4242+4242&x=1', 'number=****+****+****+4242&x=1'],
    ['form %20', 'number=4242%204242%204242%204242', 'number=****%20****%20****%204242'],
    ['Amex 4-6-5', '3782 822463 10005', '**** ****** *0005'],
  ])('masks a card number written with %s', (_format, input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it('leaves numbers that are not card numbers alone outside card fields', () => {
    expect(redactText('order 123456789012 at 2026-03-01T10:00:00Z')).toBe('order 123456789012 at 2026-03-01T10:00:00Z');
    expect(redact({ number: '123456789012' })).toEqual({ number: '********9012' });
  });

  it('hides CVCs in fields and in text, secrets and bearer tokens', () => {
    expect(redact({ card: { cvc: '123', cvv: 4567 }, secret: 'whsec_x', Authorization: 'Bearer sk_test_a' })).toEqual({
      card: { cvc: '[redacted]', cvv: '[redacted]' }, secret: '[redacted]', Authorization: '[redacted]',
    });
    expect(redactText('{"cvc":"123"} card%5Bcvc%5D=456 cvv: 7890')).toBe('{"cvc":"***"} card%5Bcvc%5D=*** cvv: ****');
    expect(redactText('signed with whsec_abc123 by Bearer sk_test_zzz')).toBe('signed with whsec_[redacted] by Bearer [redacted]');
  });
});
