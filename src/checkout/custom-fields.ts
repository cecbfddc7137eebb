// Custom fields shown on the hosted page (sessions and payment links): input checks and the
// stored/rendered shape. Keys are derived from labels so the page and webhooks can name them.
import { errors } from '../core/errors.js';

export interface CustomFieldInput {
  label: string;
  type: 'TEXT' | 'NUMBER' | 'DROPDOWN' | 'CHECKBOX';
  isOptional?: boolean | null;
  hasLimits?: boolean | null;
  limitType?: 'AT_MOST' | 'BETWEEN' | 'AT_LEAST' | 'EXACTLY' | null;
  minCharacters?: number | null;
  maxCharacters?: number | null;
  dropdownOptions?: Array<{ label: string }> | null;
}

export interface CustomFieldRecord {
  key: string;
  label: string;
  type: CustomFieldInput['type'];
  isOptional: boolean;
  hasLimits: boolean | null;
  limitType: CustomFieldInput['limitType'];
  minCharacters: number | null;
  maxCharacters: number | null;
  dropdownOptions: Array<{ label: string }> | null;
}

function keyOf(label: string, taken: Set<string>): string {
  const base = label.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'field';
  let key = base;
  for (let n = 2; taken.has(key); n++) key = `${base}_${n}`;
  taken.add(key);
  return key;
}

function checkLimits(f: CustomFieldInput, at: (name: string) => string): void {
  if (!f.hasLimits) {
    if (f.limitType) throw errors.requiresAnother(at('limitType'), 'limitType needs hasLimits: true.');
    return;
  }
  if (f.type !== 'TEXT' && f.type !== 'NUMBER') throw errors.invalid(at('hasLimits'), 'Only TEXT and NUMBER fields take character limits.');
  if (!f.limitType) throw errors.missing(at('limitType'));
  const min = f.minCharacters ?? null;
  const max = f.maxCharacters ?? null;
  if ((f.limitType === 'AT_LEAST' || f.limitType === 'BETWEEN' || f.limitType === 'EXACTLY') && min === null) throw errors.missing(at('minCharacters'));
  if ((f.limitType === 'AT_MOST' || f.limitType === 'BETWEEN') && max === null) throw errors.missing(at('maxCharacters'));
  if (min !== null && max !== null && min > max) throw errors.invalid(at('minCharacters'), 'minCharacters must not exceed maxCharacters.');
}

/** Validates and normalizes a whole list; `param` is the list's name (`customFields`). */
export function buildCustomFields(input: CustomFieldInput[] | null | undefined, param = 'customFields'): CustomFieldRecord[] {
  const taken = new Set<string>();
  return (input ?? []).map((f, i) => {
    const at = (name: string) => `${param}[${i}].${name}`;
    const options = f.dropdownOptions ?? null;
    if (f.type === 'DROPDOWN' && (!options || options.length === 0)) throw errors.missing(at('dropdownOptions'));
    if (f.type !== 'DROPDOWN' && options && options.length > 0) throw errors.invalid(at('dropdownOptions'), 'dropdownOptions are only for DROPDOWN fields.');
    checkLimits(f, at);
    return {
      key: keyOf(f.label, taken),
      label: f.label,
      type: f.type,
      isOptional: f.isOptional ?? false,
      hasLimits: f.hasLimits ?? null,
      limitType: f.hasLimits ? (f.limitType ?? null) : null,
      minCharacters: f.hasLimits ? (f.minCharacters ?? null) : null,
      maxCharacters: f.hasLimits ? (f.maxCharacters ?? null) : null,
      dropdownOptions: f.type === 'DROPDOWN' ? options!.map((o) => ({ label: o.label })) : null,
    };
  });
}

/** XPay's contract does not take null for the optional members, so absent ones are left out. */
export function renderCustomField(f: CustomFieldRecord): Record<string, unknown> {
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== null).map(([k, v]) => [k, Array.isArray(v) ? v.map((o) => ({ ...o })) : v]));
}
