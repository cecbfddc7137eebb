// The messages between the SDK on the merchant page and the simulator's frames (drop-in window,
// card element, 3-D Secure overlay). Every message is `{ xpaySim: 1, type, payload }`; each side
// checks the other's origin and window before reading one.

export const MESSAGE_TAG = 'xpaySim';

/** Frame → page. The XPAY_EMBED_* and XPAY_SDK_INITIALIZED names are XPay's own. */
export const FROM_FRAME = {
  ready: 'XPAY_EMBED_READY',
  resize: 'XPAY_EMBED_RESIZE',
  confirmed: 'XPAY_EMBED_CONFIRMED',
  success: 'XPAY_EMBED_SUCCESS',
  error: 'XPAY_EMBED_ERROR',
  close: 'XPAY_EMBED_CLOSE',
  elementReady: 'XPAY_SDK_INITIALIZED',
  elementChange: 'XPAY_ELEMENT_CHANGE',
  reply: 'XPAY_ELEMENT_REPLY',
} as const;

/** Page → frame. */
export const TO_FRAME = {
  init: 'XPAY_SDK_INIT',
  appearance: 'XPAY_SDK_APPEARANCE',
  submit: 'XPAY_SDK_SUBMIT',
  confirm: 'XPAY_SDK_CUSTOMER_DETAILS',
} as const;

export interface Message {
  xpaySim: 1;
  type: string;
  payload?: any;
}

/** A frame learns the merchant page's origin from its window name, which survives the frame's own navigations. */
export const FRAME_NAME_PREFIX = 'xpay-sim:';

export function message(type: string, payload?: unknown): Message {
  return { xpaySim: 1, type, payload };
}

export function isMessage(data: unknown): data is Message {
  return typeof data === 'object' && data !== null && (data as Message).xpaySim === 1 && typeof (data as Message).type === 'string';
}

/** The origin a frame may talk to, from its window name; null when the name is not ours or not an origin. */
export function parentOriginFromName(name: string): string | null {
  if (!name.startsWith(FRAME_NAME_PREFIX)) return null;
  const origin = name.slice(FRAME_NAME_PREFIX.length);
  return /^https?:\/\/[^/?#\s]+$/.test(origin) ? origin : null;
}

/** What XPay's SDK reports for an error: `{type, message, code, declineCode?, param?, docUrl?}`. */
export interface XPayErrorShape {
  type: string;
  message: string;
  code: string | null;
  declineCode?: string | null;
  param?: string;
  docUrl?: string;
}
