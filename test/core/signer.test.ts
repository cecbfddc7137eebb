import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computeSignature, configuredSecret, newSecret, signatureHeader } from '../../src/webhooks/signer.js';
import { patternProblem, subscribes, typeMatches } from '../../src/webhooks/records.js';
import { webhookBanner } from '../../src/webhooks/install.js';
import { defaultConfig } from '../../src/config.js';

describe('XPay-Signature', () => {
  it('is t=<unix seconds>,v1=<lower-case hex HMAC-SHA256 of "<t>.<raw body>"> keyed by the whole whsec_ secret', () => {
    const body = '{"id":"evt_test_1","type":"charge.refunded"}';
    const secret = 'whsec_test_secret';
    const header = signatureHeader(secret, 1_772_359_200_999, body);
    const expected = createHmac('sha256', secret).update('1772359200.' + body).digest('hex');
    expect(header).toBe(`t=1772359200,v1=${expected}`);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });

  it('signs bytes, so a Buffer and the same string give the same signature and any change breaks it', () => {
    const body = '{"name":"Nour – نور"}';
    expect(computeSignature('whsec_a', 10, Buffer.from(body))).toBe(computeSignature('whsec_a', 10, body));
    expect(computeSignature('whsec_a', 10, body)).not.toBe(computeSignature('whsec_a', 10, body + ' '));
    expect(computeSignature('whsec_a', 10, body)).not.toBe(computeSignature('whsec_a', 11, body));
  });

  it('derives the --webhook-url secret from the seed unless one is given', () => {
    expect(configuredSecret('seed-1')).toBe(configuredSecret('seed-1'));
    expect(configuredSecret('seed-1')).not.toBe(configuredSecret('seed-2'));
    expect(configuredSecret('seed-1', 'whsec_mine')).toBe('whsec_mine');
    expect(newSecret((n) => 'ab'.repeat(n))).toBe('whsec_' + 'ab'.repeat(24));
  });

  it('prints the generated --webhook-url secret on start, but never a secret the user gave', () => {
    expect(webhookBanner(defaultConfig())).toBe('');
    const generated = webhookBanner(defaultConfig({ webhookUrl: 'http://127.0.0.1:3000/hooks', seed: 's1' }));
    expect(generated).toContain('http://127.0.0.1:3000/hooks');
    expect(generated).toContain(configuredSecret('s1'));
    const given = webhookBanner(defaultConfig({ webhookUrl: 'http://127.0.0.1:3000/hooks', webhookSecret: 'whsec_private' }));
    expect(given).not.toContain('whsec_private');
  });
});

describe('event subscriptions', () => {
  it('matches exact types, families with .* and everything with * or an empty list', () => {
    expect(typeMatches('charge.refunded', 'charge.refunded')).toBe(true);
    expect(typeMatches('charge.*', 'charge.refunded')).toBe(true);
    expect(typeMatches('charge.*', 'chargeback.created')).toBe(false);
    expect(typeMatches('checkout.*', 'checkout.session.completed')).toBe(true);
    expect(typeMatches('*', 'anything.at_all')).toBe(true);
    expect(subscribes([], 'refund.failed')).toBe(true);
    expect(subscribes(['refund.created', 'customer.*'], 'refund.failed')).toBe(false);
  });

  it('accepts patterns within the known families and explains the others', () => {
    for (const ok of ['*', 'charge.*', 'checkout.session.completed', 'checkout.*', 'webhook_endpoint.delivery_failed', 'customer.created']) {
      expect(patternProblem(ok)).toBeUndefined();
    }
    for (const bad of ['invoice.paid', 'charge', 'Charge.refunded', 'charge.**', '', 'charge.refunded ']) {
      expect(patternProblem(bad)).toBeTypeOf('string');
    }
  });
});
