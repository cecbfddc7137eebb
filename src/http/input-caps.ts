// Size caps on request bodies that a real integration never meets but an abuser would use to make
// records (and the pages and answers built from them) huge: line items, custom fields, dropdown
// options and metadata. Checked once per request, right after schema validation and before any
// handler, wherever these fields appear in a body, so no operation can forget them.
import { errors, type XPayError } from '../core/errors.js';
import type { Limits } from '../control/limits.js';

type InputCaps = Pick<Limits, 'lineItems' | 'customFields' | 'customFieldOptions' | 'customFieldLabelLength' | 'metadataKeys' | 'metadataKeyLength' | 'metadataValueLength'>;

/** Arrays capped by count, by the field name they sit under. */
const LIST_CAPS = { lineItems: 'lineItems', customFields: 'customFields', dropdownOptions: 'customFieldOptions' } as const;

function tooLarge(param: string, limit: keyof InputCaps, max: number, what: string): XPayError {
  return errors.outOfRange(param, `Invalid value for ${param}: ${what}; the maximum is ${max} (limit ${limit}).`);
}

function childParam(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

/** Metadata as sent: an object, an array (sessions) or, on products, a JSON string holding an object. */
function checkMetadata(value: unknown, param: string, caps: InputCaps): void {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return; // The resource's own reader refuses it with its own message.
    }
  }
  if (!parsed || typeof parsed !== 'object') return;
  const entries: Array<[string | number, unknown]> = Array.isArray(parsed) ? parsed.map((v, i) => [i, v]) : Object.entries(parsed);
  if (entries.length > caps.metadataKeys) {
    throw tooLarge(param, 'metadataKeys', caps.metadataKeys, `${entries.length} ${Array.isArray(parsed) ? 'items' : 'keys'}`);
  }
  for (const [key, v] of entries) {
    const at = typeof key === 'number' ? `${param}[${key}]` : `${param}[${key.slice(0, caps.metadataKeyLength)}]`;
    if (typeof key === 'string' && key.length > caps.metadataKeyLength) {
      throw tooLarge(at, 'metadataKeyLength', caps.metadataKeyLength, `a key of ${key.length} characters`);
    }
    if (v === null || v === undefined) continue;
    const length = typeof v === 'string' ? v.length : JSON.stringify(v).length;
    if (length > caps.metadataValueLength) throw tooLarge(at, 'metadataValueLength', caps.metadataValueLength, `a value of ${length} characters`);
  }
}

/** Custom field labels and dropdown option labels are printed on the hosted page (twice for options). */
function checkCustomFieldLabels(fields: unknown[], param: string, caps: InputCaps): void {
  const check = (label: unknown, at: string) => {
    if (typeof label === 'string' && label.length > caps.customFieldLabelLength) {
      throw tooLarge(at, 'customFieldLabelLength', caps.customFieldLabelLength, `a label of ${label.length} characters`);
    }
  };
  fields.forEach((field, i) => {
    if (!field || typeof field !== 'object') return;
    const f = field as { label?: unknown; dropdownOptions?: unknown };
    check(f.label, `${param}[${i}].label`);
    if (Array.isArray(f.dropdownOptions)) f.dropdownOptions.forEach((o, j) => check((o as { label?: unknown } | null)?.label, `${param}[${i}].dropdownOptions[${j}].label`));
  });
}

/**
 * Walks a validated body (its nesting is already bounded) and refuses the first field over its cap,
 * naming the field as `param` and the limit in the message. Metadata values are not walked into.
 */
export function checkInputCaps(body: unknown, caps: InputCaps): void {
  const stack: Array<[unknown, string]> = [[body, '']];
  while (stack.length > 0) {
    const [node, param] = stack.pop()!;
    if (!node || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push([node[i], childParam(param, i)]);
      continue;
    }
    for (const [key, value] of Object.entries(node)) {
      const at = childParam(param, key);
      if (key === 'metadata') {
        checkMetadata(value, at, caps);
        continue;
      }
      const limit = LIST_CAPS[key as keyof typeof LIST_CAPS];
      if (limit && Array.isArray(value) && value.length > caps[limit]) {
        throw tooLarge(at, limit, caps[limit], `${value.length} entries`);
      }
      if (key === 'customFields' && Array.isArray(value)) checkCustomFieldLabels(value, at, caps);
      stack.push([value, at]);
    }
  }
}

/** After an update merges metadata: the stored object must stay within the key count. */
export function checkMergedMetadata(metadata: unknown, maxKeys: number, param = 'metadata'): void {
  if (!metadata || typeof metadata !== 'object') return;
  const count = Array.isArray(metadata) ? metadata.length : Object.keys(metadata).length;
  if (count > maxKeys) throw tooLarge(param, 'metadataKeys', maxKeys, `the update would leave ${count} keys`);
}
