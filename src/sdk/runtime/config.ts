// The simulator's public URL, written into the script by the server when it serves /v1/sdk.js
// (a page may load it from XPay's CDN address, so the script cannot use its own URL).
export const SIM_URL: string = "__XPAY_SIM_PUBLIC_URL__";

/** Read when first needed (the unbuilt source still holds the placeholder). */
export function simOrigin(): string {
  return new URL(SIM_URL).origin;
}
