// What must never be shown back (request log, `--log json`, /_sim/deliveries): full card numbers
// in any formatting, CVCs, webhook signing secrets and Authorization headers.
// Card numbers keep their last 4 digits (and their separators) so a log line can still be matched.

const CARD_FIELDS = new Set(['number', 'cardnumber', 'card_number', 'pan']);
const CVC_FIELDS = new Set(['cvc', 'cvv', 'cvc2', 'cvv2', 'cid', 'securitycode', 'security_code', 'cardcvc', 'card_cvc']);
const SECRET_FIELDS = new Set(['secret', 'authorization', 'webhooksecret', 'webhook_secret']);
export const REDACTED = '[redacted]';

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1 && (d *= 2) > 9) d -= 9;
    sum += d;
  }
  return sum % 10 === 0;
}

/** 12–19 digits, each optionally followed by one separator: space, dash, dot, `+` or `%20` (form encoding). */
const DIGIT_RUN = /\d(?:(?:[ \-.+]|%20)?\d){11,18}/g;
/** `cvc=123`, `card%5Bcvc%5D=123`, `"cvc":"123"`, `cvv: 1234` inside text (form bodies, invalid JSON). */
const CVC_IN_TEXT = /((?:cvc2?|cvv2?|security_?code)(?:\]|%5D)?["']?\s*(?:[:=]|%3A|%3D)\s*["']?)(\d{3,4})/gi;
const SECRET_IN_TEXT = /\b(whsec_)[A-Za-z0-9_+/=-]+/g;
const BEARER_IN_TEXT = /\b(Bearer\s+)[A-Za-z0-9_.+/=-]+/gi;

/** Hides all but the last 4 digits, keeping separators as they were. */
function maskRun(run: string): string {
  let toHide = run.replace(/%20/g, ' ').replace(/\D/g, '').length - 4;
  return run.replace(/%20|\d/g, (d) => (d === '%20' ? d : toHide-- > 0 ? '*' : d));
}

/** Masks card numbers (Luhn-valid ones anywhere; any 12–19 digits in a card field), CVCs and secrets in text. */
export function redactText(text: string, cardField = false): string {
  if (/\d{3}/.test(text) || /\d[ \-.+%]/.test(text)) {
    text = text.replace(DIGIT_RUN, (run) => {
      const digits = run.replace(/%20/g, ' ').replace(/\D/g, '');
      return digits.length >= 12 && digits.length <= 19 && (cardField || (digits.length >= 13 && luhn(digits))) ? maskRun(run) : run;
    });
    text = text.replace(CVC_IN_TEXT, (_m, prefix: string, digits: string) => prefix + '*'.repeat(digits.length));
  }
  if (text.includes('whsec_')) text = text.replace(SECRET_IN_TEXT, `$1${REDACTED}`);
  if (/bearer/i.test(text)) text = text.replace(BEARER_IN_TEXT, `$1${REDACTED}`);
  return text;
}

/** A deep copy of `value` with card numbers, CVCs, secrets and Authorization values hidden. */
export function redact(value: unknown, field = ''): unknown {
  const name = field.toLowerCase();
  if (typeof value === 'string') {
    if (CVC_FIELDS.has(name) || SECRET_FIELDS.has(name)) return REDACTED;
    return redactText(value, CARD_FIELDS.has(name));
  }
  if (typeof value === 'number') {
    if (CVC_FIELDS.has(name)) return REDACTED;
    if (CARD_FIELDS.has(name) && Number.isInteger(value)) {
      const s = String(value);
      return s.length >= 12 && s.length <= 19 ? maskRun(s) : value;
    }
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, field));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redact(v, k);
    return out;
  }
  return value;
}
