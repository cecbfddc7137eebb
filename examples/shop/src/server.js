// Runs the shop: XPAY_API_URL (the simulator, or https://api.xpay.app), XPAY_API_KEY,
// XPAY_WEBHOOK_SECRET (whsec_…), PORT (default 3000), PUBLIC_URL (where shoppers come back to).
import { createShop } from './app.js';

const port = Number(process.env.PORT ?? 3000);
const config = {
  apiUrl: process.env.XPAY_API_URL ?? 'http://127.0.0.1:12111',
  apiKey: process.env.XPAY_API_KEY ?? 'sk_test_example_shop',
  webhookSecret: process.env.XPAY_WEBHOOK_SECRET,
  publicUrl: process.env.PUBLIC_URL ?? `http://localhost:${port}`,
};
const server = createShop(config).listen(port, process.env.HOST ?? '0.0.0.0', () => {
  process.stdout.write(`shop listening on ${port}, XPay at ${config.apiUrl}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
