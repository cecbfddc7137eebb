// Labelled form controls for the hosted pages: every control gets a visible <label>, and an
// error message tied to it with aria-invalid / aria-describedby.
import { attr, html, type SafeHtml } from './html.js';
import type { Strings } from './i18n.js';
import type { CustomFieldRecord } from '../checkout/custom-fields.js';

/** What the shopper typed (refilled after an error) and the per-field messages. */
export interface FormState {
  values: Record<string, string>;
  errors: Record<string, string>;
  /** The control that gets `autofocus` (the first in error, or the card number after a decline). */
  focus?: string | null;
}

export const emptyState = (): FormState => ({ values: {}, errors: {} });

export interface FieldOptions {
  name: string;
  /** Text, or markup when it carries merchant data in <bdi> (a product name). */
  label: string | SafeHtml;
  type?: string;
  autocomplete?: string;
  required?: boolean;
  inputmode?: string;
  placeholder?: string;
  minlength?: number | null;
  maxlength?: number | null;
  min?: number | null;
  max?: number | null;
  /** Never refilled (card number, CVC). */
  secret?: boolean;
}

/** aria-invalid + aria-describedby for a control in error, and autofocus where the page lands. */
export function described(name: string, state: FormState): SafeHtml {
  const focus = attr('autofocus', state.focus === name);
  if (state.errors[name]) return html` aria-invalid="true" aria-describedby="f-${name}-error"${focus}`;
  return focus;
}

/**
 * Typed data keeps its own direction inside an Arabic page: phones, emails, card data and numbers
 * read left to right; names and addresses follow what was typed (dir="auto").
 */
function directionOf(o: FieldOptions): string {
  const ltr = ['email', 'tel', 'number'].includes(o.type ?? 'text') || o.inputmode === 'numeric' || o.inputmode === 'tel';
  return ltr ? 'ltr' : 'auto';
}

export function errorText(name: string, state: FormState): SafeHtml {
  const message = state.errors[name];
  return message ? html`<span class="field-error" id="f-${name}-error">${message}</span>` : html``;
}

function labelFor(name: string, label: string | SafeHtml, required: boolean, t: Strings): SafeHtml {
  return html`<label for="f-${name}">${label}${required ? '' : html` <span class="opt">(${t.optional})</span>`}</label>`;
}

const num = (name: string, v: number | null | undefined) => (v === null || v === undefined ? html`` : html` ${name}="${v}"`);

export function field(o: FieldOptions, state: FormState, t: Strings): SafeHtml {
  const required = o.required ?? false;
  const value = o.secret ? '' : (state.values[o.name] ?? '');
  return html`<div class="field">${labelFor(o.name, o.label, required, t)}<input id="f-${o.name}" name="${o.name}" type="${o.type ?? 'text'}" dir="${directionOf(o)}" value="${value}"${o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''}${o.inputmode ? html` inputmode="${o.inputmode}"` : ''}${o.placeholder ? html` placeholder="${o.placeholder}"` : ''}${num('minlength', o.minlength)}${num('maxlength', o.maxlength)}${num('min', o.min)}${num('max', o.max)}${attr('required', required)}${described(o.name, state)}>${errorText(o.name, state)}</div>`;
}

/** Billing or shipping address block; `prefix` is `billing` or `shipping`. */
export function addressFields(prefix: 'billing' | 'shipping', legend: string, state: FormState, t: Strings): SafeHtml {
  const section = prefix === 'billing' ? 'billing' : 'shipping';
  const f = (part: string, label: string, auto: string, required: boolean) =>
    field({ name: `${prefix}_${part}`, label, autocomplete: `${section} ${auto}`, required }, state, t);
  return html`<fieldset><legend>${legend}</legend>
${f('line1', t.line1, 'address-line1', true)}${f('line2', t.line2, 'address-line2', false)}
<div class="row">${f('city', t.city, 'address-level2', true)}${f('state', t.state, 'address-level1', false)}</div>
<div class="row">${f('postalCode', t.postalCode, 'postal-code', false)}${f('country', t.country, 'country', true)}</div>
</fieldset>`;
}

export const ADDRESS_PARTS = ['line1', 'line2', 'city', 'state', 'postalCode', 'country'] as const;

/** Options rendered per piece of a dropdown (a dropdown may hold 200 options of 100 characters). */
const OPTIONS_PER_PIECE = 50;

/** A dropdown in pieces: the select's start, its options a few dozen at a time, its end. */
function* dropdown(c: CustomFieldRecord, state: FormState, t: Strings): Generator<SafeHtml> {
  const name = `custom_${c.key}`;
  const required = !c.isOptional;
  const value = state.values[name] ?? '';
  const options = c.dropdownOptions ?? [];
  yield html`<div class="field">${labelFor(name, html`<bdi>${c.label}</bdi>`, required, t)}<select id="f-${name}" name="${name}" dir="auto"${attr('required', required)}${described(name, state)}><option value="">${t.choose}</option>`;
  for (let i = 0; i < options.length; i += OPTIONS_PER_PIECE) {
    yield html`${options.slice(i, i + OPTIONS_PER_PIECE).map((o) => html`<option value="${o.label}"${attr('selected', o.label === value)}>${o.label}</option>`)}`;
  }
  yield html`</select>${errorText(name, state)}</div>`;
}

function* customControl(c: CustomFieldRecord, state: FormState, t: Strings): Generator<SafeHtml> {
  if (c.type === 'DROPDOWN') return yield* dropdown(c, state, t);
  const name = `custom_${c.key}`;
  const required = !c.isOptional;
  const value = state.values[name] ?? '';
  if (c.type === 'CHECKBOX') {
    return yield html`<div class="field check"><input id="f-${name}" name="${name}" type="checkbox" value="true"${attr('checked', value === 'true')}${attr('required', required)}${described(name, state)}>${labelFor(name, html`<bdi>${c.label}</bdi>`, required, t)}${errorText(name, state)}</div>`;
  }
  const limits = c.hasLimits ? { min: c.minCharacters, max: c.limitType === 'EXACTLY' ? c.minCharacters : c.maxCharacters } : { min: null, max: null };
  yield field(
    {
      name, label: html`<bdi>${c.label}</bdi>`, required, minlength: limits.min, maxlength: limits.max,
      inputmode: c.type === 'NUMBER' ? 'numeric' : undefined, autocomplete: 'off',
    },
    state, t,
  );
}

/** The custom fields' fieldset in pieces (rendered as they are sent, send-page.ts). */
export function* customFields(list: CustomFieldRecord[], state: FormState, t: Strings): Generator<SafeHtml> {
  if (list.length === 0) return;
  yield html`<fieldset><legend>${t.additional}</legend>`;
  for (const c of list) yield* customControl(c, state, t);
  yield html`</fieldset>`;
}
