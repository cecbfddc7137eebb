// How often a price was used: sessions and links that list it, and what paid sessions sold.
// Line items carry `price.id` and `quantity` as in XPay's LineItem; sessions carry `paymentStatus`.
import type { Namespace } from '../store/namespace.js';

interface LineItemView {
  quantity?: number;
  amountTotal?: number;
  price?: { id?: string } | null;
}

function itemsOf(record: Record<string, unknown>): LineItemView[] {
  const items = record.lineItems;
  return Array.isArray(items) ? (items as LineItemView[]) : [];
}

export function productUsage(ns: Namespace, priceId: string): { checkoutSessions: number; paymentLinks: number; quantitySold: number; amountCollected: number } {
  let checkoutSessions = 0;
  let quantitySold = 0;
  let amountCollected = 0;
  for (const s of ns.db.checkoutSessions.values()) {
    const items = itemsOf(s).filter((i) => i.price?.id === priceId);
    if (items.length === 0) continue;
    checkoutSessions++;
    if (s.paymentStatus === 'paid') {
      for (const i of items) {
        quantitySold += i.quantity ?? 0;
        amountCollected += i.amountTotal ?? 0;
      }
    }
  }
  let paymentLinks = 0;
  for (const l of ns.db.paymentLinks.values()) if (itemsOf(l).some((i) => i.price?.id === priceId)) paymentLinks++;
  return { checkoutSessions, paymentLinks, quantitySold, amountCollected };
}
