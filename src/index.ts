// The package's entry point (`import … from 'xpay-sim'`): start a simulator in-process and the
// helpers tests use against it, in any runner. The CLI is `xpay-sim` (src/cli.ts).
export { startSimulator, type Simulator, type StartOptions } from './testing/start.js';
export { createClient, freshKey, SUCCESS_CARD, XPaySimClient, type ClientOptions, type RawResponse, type RequestOptions } from './testing/client.js';
export { XPayApiError, type XPayErrorBody } from './testing/errors.js';
export { verifySignature, type VerifyOptions } from './testing/signature.js';
export { webhookReceiver, typeMatches, type ReceivedWebhook, type WebhookReceiver, type WebhookReceiverOptions } from './testing/webhook-receiver.js';
export { useXPaySim, type PerTestOptions, type RunnerHooks, type SimPerTest } from './testing/per-test.js';
export type { CardInput, CheckoutSession, SimClock, SimEvent, WebhookEndpoint } from './testing/types.js';
export type { Limits } from './control/limits.js';
