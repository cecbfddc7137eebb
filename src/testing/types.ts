// The shapes the test helpers hand back: just the fields tests usually read, open to the rest.

export interface SimEvent {
  id: string;
  object: 'event';
  type: string;
  created: number;
  livemode: boolean;
  data: { object: Record<string, any> };
  [field: string]: unknown;
}

export interface CheckoutSession {
  id: string;
  object: 'checkout.session';
  status: string;
  paymentStatus: string;
  url: string | null;
  amountTotal: number;
  currency: string;
  paymentIntent: (Record<string, any> & { id: string; status: string }) | string | null;
  [field: string]: any;
}

export interface SimClock {
  mode: 'real' | 'frozen' | 'manual';
  now: string;
  [field: string]: unknown;
}

/** A card for `pay`: its number alone (then 01/39, CVC 100), or every field. */
export type CardInput = string | { number: string; exp?: string; expMonth?: number; expYear?: number; cvc?: string; name?: string | null };

export interface WebhookEndpoint {
  id: string;
  url: string;
  /** The `whsec_…` signing secret: XPay shows it only in the answer that created the endpoint. */
  secret: string;
  enabledEvents: string[];
  [field: string]: unknown;
}
