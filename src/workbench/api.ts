// The Workbench's only way to the simulator: the documented API and /_sim routes, with the pasted key
// as Bearer (kept in this tab's session storage, never sent anywhere else). Every request is tagged
// with XPay-Sim-Client so the live stream and the request log can tell the Workbench's own reads apart.

const KEY_ITEM = 'xpay-sim.workbench.key';
const ADMIN_ITEM = 'xpay-sim.workbench.admin';
export const CLIENT_HEADER = 'XPay-Sim-Client';
export const CLIENT_NAME = 'workbench';
/** Request ids of the Workbench's own calls (bounded), so its request log can hide them. */
const ownRequestIds = new Set<string>();
const OWN_IDS_KEPT = 2000;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly param?: string,
  ) {
    super(message);
  }
}

export const storedKey = (): string | null => sessionStorage.getItem(KEY_ITEM);
export const storedAdminKey = (): string | null => sessionStorage.getItem(ADMIN_ITEM);

export function rememberKey(key: string | null): void {
  if (key) sessionStorage.setItem(KEY_ITEM, key);
  else sessionStorage.removeItem(KEY_ITEM);
}

export function rememberAdminKey(key: string | null): void {
  if (key) sessionStorage.setItem(ADMIN_ITEM, key);
  else sessionStorage.removeItem(ADMIN_ITEM);
}

export function isOwnRequest(requestId: string): boolean {
  return ownRequestIds.has(requestId);
}

function noteOwn(id: string | null): void {
  if (!id) return;
  ownRequestIds.add(id);
  if (ownRequestIds.size > OWN_IDS_KEPT) ownRequestIds.delete(ownRequestIds.values().next().value!);
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  /** Send the admin credential (XPay-Sim-Admin) instead of the key. */
  admin?: boolean;
  key?: string;
}

/** Calls a route and answers its JSON; an XPay error envelope becomes an ApiError with its message. */
export async function api<T = any>(path: string, options: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { [CLIENT_HEADER]: CLIENT_NAME, Accept: 'application/json' };
  if (options.admin) headers['XPay-Sim-Admin'] = storedAdminKey() ?? '';
  else {
    const key = options.key ?? storedKey();
    if (key) headers.Authorization = `Bearer ${key}`;
  }
  let body: string | undefined;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['Content-Type'] = 'application/json';
  }
  const method = options.method ?? 'GET';
  // Writes get an idempotency key, so a double click or a retried request never acts twice.
  if (method !== 'GET') headers['Idempotency-Key'] = `wb_${globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}_${Math.random().toString(36).slice(2)}`}`;
  const res = await fetch(path, { method, headers, body });
  noteOwn(res.headers.get('Request-Id'));
  const text = await res.text();
  let json: any = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    throw new ApiError(res.status, 'not_json', text.slice(0, 300) || `HTTP ${res.status}`);
  }
  if (!res.ok) {
    const e = json?.error;
    throw new ApiError(res.status, e?.code ?? 'http_error', e?.message ?? `HTTP ${res.status}`, e?.param);
  }
  return json as T;
}

export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
