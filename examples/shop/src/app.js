// The shop: create an order → XPay hosted checkout; XPay's webhooks mark it paid or refunded.
// Orders live in memory; a real shop would keep them in its database.
import express from 'express';
import { randomUUID } from 'node:crypto';
import { verifyWebhook, xpayClient, XPayError } from './xpay.js';

/** `config` is read on every request, so a test can set `webhookSecret` after registering the endpoint. */
export function createShop(config) {
  const xpay = xpayClient(config);
  const orders = new Map();
  const app = express();

  app.post('/orders', express.json(), async (req, res) => {
    const { price = 'price_coffee_beans_egp', quantity = 1, email } = req.body ?? {};
    const id = `order_${randomUUID()}`;
    try {
      const session = await xpay.createCheckoutSession(
        {
          lineItems: [{ price, quantity }],
          customerDetails: email ? { email } : undefined,
          metadata: { orderId: id },
          afterCompletion: { type: 'redirect', redirect: { url: `${config.publicUrl}/orders/${id}?session={CHECKOUT_SESSION_ID}` } },
        },
        `order-${id}`,
      );
      const order = { id, status: 'awaiting_payment', sessionId: session.id, amount: session.amountTotal, currency: session.currency, paymentIntentId: null };
      orders.set(id, order);
      res.status(201).json({ ...order, checkoutUrl: session.url });
    } catch (e) {
      if (!(e instanceof XPayError)) throw e;
      // XPay refused the order itself (4xx): the shopper's request was at fault; anything else is XPay's.
      res.status(e.status < 500 ? 422 : 502).json({ error: e.code ?? 'payment_provider_error', message: e.message });
    }
  });

  app.get('/orders/:id', (req, res) => {
    const order = orders.get(req.params.id);
    if (!order) return res.status(404).json({ error: 'order_not_found' });
    res.json(order);
  });

  app.post('/orders/:id/refund', async (req, res) => {
    const order = orders.get(req.params.id);
    if (!order) return res.status(404).json({ error: 'order_not_found' });
    if (order.status !== 'paid') return res.status(409).json({ error: 'order_not_paid' });
    try {
      const refund = await xpay.createRefund({ paymentIntentId: order.paymentIntentId, reason: 'REQUESTED_BY_CUSTOMER' }, `refund-${order.id}`);
      order.status = 'refund_requested';
      res.status(201).json({ refundId: refund.id, status: refund.status });
    } catch (e) {
      if (!(e instanceof XPayError)) throw e;
      res.status(502).json({ error: e.code ?? 'payment_provider_error', message: e.message });
    }
  });

  // Webhooks: verify against the raw bytes, then act once per event type.
  app.post('/webhooks', express.raw({ type: 'application/json' }), (req, res) => {
    if (!verifyWebhook(config.webhookSecret, req.get('XPay-Signature'), req.body)) return res.status(401).json({ error: 'bad_signature' });
    const event = JSON.parse(req.body.toString('utf8'));
    const object = event.data.object;
    if (event.type === 'checkout.session.completed') {
      const order = orders.get(object.metadata?.orderId);
      if (order) {
        order.status = 'paid';
        order.paymentIntentId = typeof object.paymentIntent === 'string' ? object.paymentIntent : object.paymentIntent?.id ?? null;
      }
    } else if (event.type === 'charge.refunded') {
      for (const order of orders.values()) if (order.paymentIntentId === object.paymentIntentId) order.status = 'refunded';
    }
    res.json({ received: true });
  });

  return app;
}
