// The payment-method part of the hosted checkout form: a list of the session's methods (links,
// so choosing one needs no JavaScript) and the chosen method's own fields and step (card number,
// wallet phone then OTP, BNPL phone + tenure then OTP, a kiosk reference, cash on delivery).
import { html, type SafeHtml } from './html.js';
import { fill, type Strings } from './i18n.js';
import { described, errorText, field, type FormState } from './form-fields.js';
import { methodInfo, TENURES } from '../payments/method-catalog.js';

export interface MethodView {
  /** The session's methods, in its order. */
  methods: string[];
  chosen: string;
  /** Link to this page with another method chosen. */
  hrefFor: (method: string) => string;
  /** With fees passed through: each method's fee estimate, printed beside its choice. */
  feeFor?: (method: string) => string;
  /** Wallet/BNPL: the code was "sent", so the form now asks for it. */
  otpStep: boolean;
  state: FormState;
}

function methodName(t: Strings, type: string): string {
  return t.methodNames[type as keyof Strings['methodNames']] ?? type;
}

function chooser(v: MethodView, t: Strings): SafeHtml {
  if (v.methods.length < 2) return html``;
  const fee = (m: string) => (v.feeFor ? html` <span class="item-meta" data-fee="${m}">${fill(t.feeEstimate, { amount: v.feeFor(m) })}</span>` : '');
  const items = v.methods.map((m) =>
    m === v.chosen
      ? html`<li><a href="${v.hrefFor(m)}" aria-current="true" data-method="${m}">${methodName(t, m)}${fee(m)}</a></li>`
      : html`<li><a href="${v.hrefFor(m)}" data-method="${m}">${methodName(t, m)}${fee(m)}</a></li>`,
  );
  return html`<nav class="methods" aria-label="${t.paymentMethod}"><ul>${items}</ul></nav>`;
}

function cardFields(v: MethodView, t: Strings, device: boolean): SafeHtml {
  return html`${device ? html`<p class="item-meta">${fill(t.deviceWalletBody, { wallet: methodName(t, v.chosen) })}</p>` : ''}
${cardInputs(v.state, t)}`;
}

/** The four card inputs (labelled, with autocomplete): the hosted form's and the SDK's card element's. */
export function cardInputs(st: FormState, t: Strings): SafeHtml {
  return html`${field({ name: 'cardName', label: t.cardName, autocomplete: 'cc-name', required: true }, st, t)}
${field({ name: 'cardNumber', label: t.cardNumber, autocomplete: 'cc-number', inputmode: 'numeric', placeholder: '1234 1234 1234 1234', required: true, secret: true }, st, t)}
<div class="row">
${field({ name: 'cardExp', label: t.cardExp, autocomplete: 'cc-exp', inputmode: 'numeric', placeholder: t.expPlaceholder, required: true }, st, t)}
${field({ name: 'cardCvc', label: t.cardCvc, autocomplete: 'cc-csc', inputmode: 'numeric', placeholder: t.cvcPlaceholder, required: true, secret: true }, st, t)}
</div>`;
}

function otpFields(v: MethodView, t: Strings, phoneLabel: string, extra: SafeHtml): SafeHtml {
  const st = v.state;
  const phone = field({ name: 'methodPhone', label: phoneLabel, type: 'tel', autocomplete: 'tel', inputmode: 'tel', required: true }, st, t);
  if (!v.otpStep) return html`${phone}${extra}`;
  return html`${phone}${extra}
<div class="notice" role="status">${fill(t.otpSent, { phone: st.values.methodPhone ?? '' })}</div>
${field({ name: 'otp', label: t.otp, autocomplete: 'one-time-code', inputmode: 'numeric', required: true, secret: true }, st, t)}`;
}

function tenureSelect(v: MethodView, t: Strings): SafeHtml {
  const chosen = v.state.values.tenure ?? '6';
  const options = TENURES.map((n) => html`<option value="${n}"${String(n) === chosen ? html` selected` : ''}>${n} ${t.months}</option>`);
  return html`<div class="field"><label for="f-tenure">${t.tenure}</label><select id="f-tenure" name="tenure"${described('tenure', v.state)}>${options}</select>${errorText('tenure', v.state)}</div>`;
}

/** The fieldset for the chosen method, with the hidden field that tells the server which it is. */
export function methodSection(v: MethodView, t: Strings): SafeHtml {
  const family = methodInfo(v.chosen)?.family ?? 'card';
  let body: SafeHtml;
  if (family === 'card') body = cardFields(v, t, v.chosen !== 'card');
  else if (family === 'wallet') body = otpFields(v, t, t.walletPhone, html``);
  else if (family === 'bnpl') body = otpFields(v, t, t.bnplPhone, tenureSelect(v, t));
  else if (family === 'kiosk') body = html`<p>${t.kioskBody}</p>${field({ name: 'methodPhone', label: t.referencePhone, type: 'tel', autocomplete: 'tel', inputmode: 'tel' }, v.state, t)}`;
  else body = html`<p>${t.codBody}</p>${field({ name: 'methodPhone', label: t.courierPhone, type: 'tel', autocomplete: 'tel', inputmode: 'tel', required: true }, v.state, t)}`;
  return html`${chooser(v, t)}<fieldset><legend>${v.chosen === 'card' ? t.payment : methodName(t, v.chosen)}</legend>
<input type="hidden" name="method" value="${v.chosen}">
${v.otpStep ? html`<input type="hidden" name="otpStep" value="1">` : ''}
${body}
</fieldset>`;
}
