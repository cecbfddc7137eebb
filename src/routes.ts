// The routing table: every operationId of openapi.yaml → its handler. One line each.
// Operations a later capability builds are absent and answer 501 until then.
import type { Handler } from './http/types.js';
import { createSimSnapshot, deleteSimSnapshot, exportSimNamespace, listSimNamespaces, listSimSnapshots, resetSimData, restoreSimSnapshot } from './resources/sim-state.js';
import { advanceSimClock, getSimClock, setSimClock } from './resources/sim-clock.js';
import { getSimUsage } from './resources/sim-usage.js';
import { clearSimFaults, createSimFault, deleteSimFault, listSimFaults, listSimRequests } from './resources/sim-faults.js';
import { getAccount } from './resources/account.js';
import { createCustomer, getCustomer, getCustomerStats, listCustomers } from './resources/customers.js';
import { createProduct, deleteProduct, getProduct, getProductStats, listProducts, updateProduct } from './resources/products.js';
import { createPrice, deletePrice, updatePrice } from './resources/prices.js';
import { createUploadUrl } from './resources/uploads.js';
import { getHealth, getOpenApiDocument } from './resources/meta.js';
import { createRefund, getRefund, listRefunds } from './resources/refunds.js';
import { getSimLedger } from './resources/sim-ledger.js';
import { createWebhookEndpoint, deleteWebhookEndpoint, getWebhookEndpoint, listWebhookEndpoints, updateWebhookEndpoint } from './resources/webhook-endpoints.js';
import { listSimEvents, waitSimEvent } from './sim/events.js';
import { listSimDeliveries, redeliverSimDelivery } from './sim/deliveries.js';
import { createCheckoutSession, expireCheckoutSession, getCheckoutSession, updateMerchantCheckoutSession } from './resources/checkout-sessions.js';
import { createPaymentLink, getPaymentLink, listPaymentLinks, updatePaymentLink } from './resources/payment-links.js';
import { createSimCoupon, listSimCoupons } from './resources/sim-coupons.js';
import { getSdkScript } from './resources/sdk-script.js';
import { applySdkPromotionCode, confirmSdkCheckoutSession, getSdkCheckoutSession, removeSdkPromotionCode, updateSdkLineItemQuantity } from './resources/sdk-client.js';
import { getMagicCards, paySimCheckoutSession, resolveSimThreeDSecure } from './resources/sim-pay.js';
import { listSimCheckoutSessions } from './sim/checkout-sessions.js';
import { streamSimLive } from './sim/live.js';
import { settleSimPaymentIntent, settleSimRefund } from './resources/sim-settle.js';

export const routes: Record<string, Handler> = {
  resetSimData,
  listSimSnapshots,
  createSimSnapshot,
  restoreSimSnapshot,
  deleteSimSnapshot,
  listSimNamespaces,
  exportSimNamespace,
  getSimClock,
  setSimClock,
  advanceSimClock,
  getSimUsage,
  listSimFaults,
  createSimFault,
  clearSimFaults,
  deleteSimFault,
  listSimCheckoutSessions,
  streamSimLive,
  listSimRequests,
  getAccount,
  settleSimPaymentIntent,
  settleSimRefund,
  createRefund,
  getRefund,
  listRefunds,
  getSimLedger,
  createCustomer,
  listCustomers,
  getCustomer,
  getCustomerStats,
  createProduct,
  listProducts,
  getProduct,
  updateProduct,
  deleteProduct,
  getProductStats,
  createPrice,
  updatePrice,
  deletePrice,
  createUploadUrl,
  getHealth,
  getOpenApiDocument,
  listWebhookEndpoints,
  createWebhookEndpoint,
  getWebhookEndpoint,
  updateWebhookEndpoint,
  deleteWebhookEndpoint,
  listSimEvents,
  waitSimEvent,
  listSimDeliveries,
  redeliverSimDelivery,
  createCheckoutSession,
  getCheckoutSession,
  getMagicCards,
  paySimCheckoutSession,
  resolveSimThreeDSecure,
  updateMerchantCheckoutSession,
  expireCheckoutSession,
  createPaymentLink,
  listPaymentLinks,
  getPaymentLink,
  updatePaymentLink,
  listSimCoupons,
  createSimCoupon,
  getSdkScript,
  getSdkCheckoutSession,
  applySdkPromotionCode,
  removeSdkPromotionCode,
  updateSdkLineItemQuantity,
  confirmSdkCheckoutSession,
};
