// The shop's own tests, against xpay-sim: one simulator for the file (or XPAY_API_URL when set,
// e.g. a container in CI), a fresh XPay key per test, and the shop started on a free port.
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useXPaySim } from 'xpay-sim';
import { createShop } from '../src/app.js';

const xpay = useXPaySim({}, { beforeAll: before, beforeEach, afterAll: after });

/** The shop wired to this test's namespace, its webhook endpoint registered in XPay. */
async function startShop() {
  const config = { apiUrl: xpay.url, apiKey: xpay.client.key, webhookSecret: undefined, publicUrl: '' };
  const server = await new Promise((resolve) => {
    const s = createShop(config).listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${server.address().port}`;
  config.publicUrl = url;
  const endpoint = await xpay.client.addWebhookEndpoint(`${url}/webhooks`, ['checkout.session.completed', 'charge.refunded']);
  config.webhookSecret = endpoint.secret;
  return { url, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }) };
}

async function json(res) {
  return { status: res.status, body: await res.json() };
}

/** Polls the shop until the order reaches `status` (webhooks arrive after XPay answered). */
async function orderReaches(shop, id, status) {
  for (let i = 0; i < 200; i++) {
    const order = (await json(await fetch(`${shop.url}/orders/${id}`))).body;
    if (order.status === status) return order;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.fail(`order ${id} never reached ${status}`);
}

describe('shop checkout through XPay', () => {
  let shop;
  beforeEach(async () => {
    shop = await startShop();
  });
  afterEach(() => shop.close());

  it('creates a hosted checkout for an order and marks it paid when XPay says so', async () => {
    const created = await json(await fetch(`${shop.url}/orders`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ quantity: 2, email: 'mona@example.com' }) }));
    assert.equal(created.status, 201);
    assert.equal(created.body.amount, 2 * 85000); // two bags of the fixtures' coffee, in piastres
    assert.match(created.body.checkoutUrl, /^http:\/\/127\.0\.0\.1:\d+\/c\//);
    assert.equal(created.body.status, 'awaiting_payment');

    const session = await xpay.client.pay(created.body.sessionId);
    assert.equal(session.paymentStatus, 'paid');
    const paid = await orderReaches(shop, created.body.id, 'paid');
    assert.match(paid.paymentIntentId, /^pi_test_/);
  });

  it('leaves the order awaiting payment when the card is declined', async () => {
    const created = await json(await fetch(`${shop.url}/orders`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }));
    const session = await xpay.client.pay(created.body.sessionId, '4000 0000 0000 9995');
    assert.equal(session.paymentIntent.lastPaymentError.declineCode, 'insufficient_funds');
    await xpay.client.waitForEvent('payment_intent.payment_failed');
    assert.equal((await json(await fetch(`${shop.url}/orders/${created.body.id}`))).body.status, 'awaiting_payment');
  });

  it('refunds a paid order, and XPay\'s charge.refunded webhook marks it refunded', async () => {
    const created = await json(await fetch(`${shop.url}/orders`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }));
    await xpay.client.pay(created.body.sessionId);
    await orderReaches(shop, created.body.id, 'paid');
    const refund = await json(await fetch(`${shop.url}/orders/${created.body.id}/refund`, { method: 'POST' }));
    assert.equal(refund.status, 201);
    assert.match(refund.body.refundId, /^re_/);
    await orderReaches(shop, created.body.id, 'refunded');
  });

  it('answers 422 with XPay\'s code when XPay refuses the order', async () => {
    const res = await json(await fetch(`${shop.url}/orders`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ price: 'price_does_not_exist' }) }));
    assert.equal(res.status, 422);
    assert.equal(typeof res.body.error, 'string');
  });

  it('refuses webhooks whose signature does not verify', async () => {
    const res = await fetch(`${shop.url}/webhooks`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'XPay-Signature': 't=1,v1=00' }, body: '{"type":"checkout.session.completed","data":{"object":{}}}' });
    assert.equal(res.status, 401);
  });
});
