// Normalizing contact details, so the same shopper is recognized however they typed it.
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Canonical E.164 when the number is recognizably Egyptian or already international;
 * otherwise the digits as given. `01012345678` → `+201012345678`.
 */
export function normalizePhone(phone: string): string {
  const compact = phone.trim().replace(/[\s\-().]/g, '');
  if (/^\+\d{6,15}$/.test(compact)) return compact;
  if (/^00\d{6,15}$/.test(compact)) return '+' + compact.slice(2);
  if (/^01\d{9}$/.test(compact)) return '+20' + compact.slice(1);
  if (/^201\d{9}$/.test(compact)) return '+' + compact;
  return compact;
}
