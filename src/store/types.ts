// Stored records. Records hold what the API returns (camelCase, ISO dates, minor units);
// fields only the simulator needs start with an underscore and are stripped when rendering.
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Metadata = Record<string, unknown>;

export interface CustomerRecord {
  id: string;
  object: 'customer';
  type: 'registered' | 'guest';
  createdAt: string;
  updatedAt: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  address: Record<string, string | null> | null;
  guestFingerprint: { emails: string[]; phones: string[]; cardFingerprints: Array<Record<string, unknown>> } | null;
  metadata: Metadata | null;
  merchantId: string;
  /** Default currency for spend figures; not part of the customer response. */
  _currency: string;
}

export interface PriceRecord {
  id: string;
  object: 'price';
  name: string | null;
  description: string | null;
  currency: string;
  unitAmount: number | null;
  type: 'ONE_TIME' | 'RECURRING' | 'CUSTOM';
  recurring: { interval: string; intervalCount: number } | null;
  customUnitAmount: { minimum: number | null; maximum: number | null; preset: number | null } | null;
  stock: number | null;
  startDate: string | null;
  expirationDate: string | null;
  active: boolean;
  /** Accepted on create/update but not part of XPay's price response. */
  _metadata: Metadata | null;
  createdAt: string;
  updatedAt: string;
  productId: string;
  /** Set once any checkout session or payment link line item referenced this price. */
  _used: boolean;
}

export interface ProductRecord {
  id: string;
  object: 'product';
  name: string;
  description: string | null;
  image: string | null;
  unitLabel: string | null;
  active: boolean;
  isSystemCreated: boolean;
  metadata: Metadata | null;
  defaultPriceId: string | null;
  merchantId: string;
  /** Price ids in creation order; the prices themselves live in the prices collection. */
  _priceIds: string[];
  createdAt: string;
  updatedAt: string;
}

export interface UploadRecord {
  token: string;
  fileUrl: string;
  expiresAt: string;
  usedAt: string | null;
  contentType: string | null;
  _bytes: string | null;
}

/** A record whose shape belongs to a later capability; typed by the module that owns it. */
export type OpenRecord = { id: string } & Record<string, unknown>;
