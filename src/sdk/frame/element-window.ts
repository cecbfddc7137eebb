// The Payment Element's card frame: holds the card fields, reports `change {complete}` to the
// merchant page, validates on submit() and pays on confirm() through the simulator's confirm
// endpoint (same origin), so the card number never leaves this frame except to the simulator.
import { FROM_FRAME, TO_FRAME } from '../shared/protocol.js';
import { applyAppearance, reportHeight, type Bridge } from './bridge.js';
import { checkCard, type CardCheck } from './card-fields.js';

interface Credentials {
  publishableKey: string;
  clientSecret: string;
}

function fieldValue(doc: Document, name: string): string {
  return (doc.querySelector(`[name="${name}"]`) as HTMLInputElement | null)?.value ?? '';
}

function readFields(doc: Document): CardCheck {
  return checkCard({ number: fieldValue(doc, 'cardNumber'), exp: fieldValue(doc, 'cardExp'), cvc: fieldValue(doc, 'cardCvc'), name: fieldValue(doc, 'cardName') });
}

/** The page's own words (element-page.ts), by field or code; absent only if the page is older than this script. */
interface FrameMessages {
  fields: Record<string, string>;
  cardDeclines: Record<string, string>;
  codes: Record<string, string>;
  generic: string;
}

function messagesOf(doc: Document): FrameMessages | null {
  try {
    return JSON.parse(doc.querySelector<HTMLFormElement>('form.element')?.dataset.messages ?? 'null');
  } catch {
    return null;
  }
}

/** What the shopper reads for a refused payment: the page's words for its decline or error code. */
function shopperMessage(words: FrameMessages | null, error: { type?: string; code?: string | null; declineCode?: string | null; message?: string; param?: string } | undefined): string | null {
  if (!error) return null;
  if (!words) return error.message ?? null;
  // Refused before it was sent (confirm's own field check): the field's words.
  if (error.code === 'incomplete_card' && error.param) return words.fields[error.param] ?? error.message ?? null;
  const code = error.declineCode ?? error.code ?? '';
  if (error.type === 'card_error') return words.cardDeclines[code] ?? words.codes[code] ?? words.cardDeclines.card_declined ?? words.generic;
  return words.codes[code] ?? words.generic;
}

function showError(doc: Document, text: string | null): void {
  const box = doc.getElementById('element-error');
  if (!box) return;
  box.textContent = text ?? '';
  box.hidden = !text;
}

async function confirm(doc: Document, credentials: Credentials, customerDetails: unknown): Promise<{ status: number; body: any }> {
  const checked = readFields(doc);
  if (!checked.ok) return { status: 400, body: { error: { type: 'card_error', code: 'incomplete_card', message: checked.message, param: checked.param } } };
  try {
    const res = await fetch('/_sdk/checkout-session/confirm', {
      method: 'POST',
      headers: { Authorization: `Bearer ${credentials.publishableKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ clientSecret: credentials.clientSecret, card: checked.card, ...(customerDetails ? { customerDetails } : {}) }),
    });
    return { status: res.status, body: await res.json() };
  } catch {
    return { status: 0, body: { error: { type: 'network_error', code: null, message: 'The simulator could not be reached.' } } };
  }
}

export function runElementWindow(doc: Document, bridge: Bridge): void {
  let credentials: Credentials | null = null;
  let last = '';
  const words = messagesOf(doc);
  const fieldMessage = (c: CardCheck) => (c.ok ? null : words?.fields[c.param] ?? c.message);
  doc.querySelector('form')?.addEventListener('submit', (e) => e.preventDefault());
  doc.addEventListener('input', () => {
    const complete = readFields(doc).ok;
    const empty = ['cardNumber', 'cardExp', 'cardCvc', 'cardName'].every((n) => fieldValue(doc, n) === '');
    const key = `${complete}/${empty}`;
    if (key === last) return;
    last = key;
    bridge.post(FROM_FRAME.elementChange, { complete, empty, value: { type: 'card' } });
  });
  bridge.onMessage(async (m) => {
    const id = m.payload?.id;
    if (m.type === TO_FRAME.init) {
      credentials = { publishableKey: String(m.payload.publishableKey), clientSecret: String(m.payload.clientSecret) };
      applyAppearance(doc, m.payload.appearance);
    } else if (m.type === TO_FRAME.appearance) {
      applyAppearance(doc, m.payload?.appearance);
    } else if (m.type === TO_FRAME.submit) {
      const checked = readFields(doc);
      showError(doc, fieldMessage(checked));
      bridge.post(FROM_FRAME.reply, { id, result: checked.ok ? { selectedPaymentMethod: 'card' } : { error: { type: 'invalid_request_error', code: 'incomplete_card', message: checked.message, param: checked.param } } });
    } else if (m.type === TO_FRAME.confirm && credentials) {
      const result = await confirm(doc, credentials, m.payload?.customerDetails);
      const failure = shopperMessage(words, result.body?.error);
      showError(doc, result.status === 200 && result.body.outcome !== 'failed' ? null : failure);
      bridge.post(FROM_FRAME.reply, { id, result });
    }
  });
  reportHeight(doc, (height) => bridge.post(FROM_FRAME.resize, { height }));
  bridge.post(FROM_FRAME.elementReady);
}
