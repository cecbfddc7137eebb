// Validation of a large request body over several turns of the event loop (decision 0012, issue
// 17): the largest session the caps allow took ≈ 0.9 ms of Ajv in one go. The body's schema is
// split once per operation into a "shell" (the object with the items of its array properties
// left out) and one validator per such array's items. The shell is checked first, then the items
// in order, yielding to other requests whenever a turn has used its budget. Ajv stops at the first
// error (allErrors: false), so the answer does not depend on where the turns break; an item's
// error gets the path the whole-body validator would give it (`/lineItems/7/quantity`).
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type { OpenApiDocument } from '../spec.js';
import { nextTurn } from './write-in-turns.js';

/** Work per turn before other requests get theirs. */
const TURN_BUDGET_MS = 0.25;

/** Keywords an array property may carry and still be split: the shell checks all but `items`. */
const SPLITTABLE_ARRAY_KEYS = new Set(['type', 'items', 'minItems', 'maxItems', 'description', 'title', 'default', 'examples', 'deprecated']);

export interface BodyInPieces {
  /** The body with the items of `arrays` unchecked. */
  shell: ValidateFunction;
  /** Array properties whose items are checked one by one, in the schema's order. */
  arrays: Array<{ name: string; items: ValidateFunction }>;
}

type Schema = Record<string, unknown>;

function resolve(doc: OpenApiDocument, schema: unknown): Schema | undefined {
  if (!schema || typeof schema !== 'object') return undefined;
  const ref = (schema as Schema).$ref;
  if (typeof ref !== 'string') return schema as Schema;
  const prefix = '#/components/schemas/';
  return ref.startsWith(prefix) ? resolve(doc, doc.components.schemas?.[ref.slice(prefix.length)]) : undefined;
}

/**
 * The split of an operation's body schema, or undefined when it has no array property to split
 * (or a top-level shape, such as `oneOf`, whose parts could not be checked separately).
 * `compile` is the caller's (it compiles the way the whole-body validator is compiled).
 */
export function splitBodySchema(doc: OpenApiDocument, bodySchema: unknown, compile: (schema: unknown) => ValidateFunction): BodyInPieces | undefined {
  const top = resolve(doc, bodySchema);
  if (!top || top.type !== 'object' || top.allOf || top.anyOf || top.oneOf || top.not || top.if || top.unevaluatedProperties !== undefined) return undefined;
  const properties = (top.properties ?? {}) as Record<string, Schema>;
  const shellProperties: Record<string, unknown> = {};
  const arrays: BodyInPieces['arrays'] = [];
  for (const [name, property] of Object.entries(properties)) {
    const splittable = property.items !== undefined && Object.keys(property).every((k) => SPLITTABLE_ARRAY_KEYS.has(k));
    if (!splittable) {
      shellProperties[name] = property;
      continue;
    }
    const { items, ...arrayItself } = property;
    shellProperties[name] = arrayItself;
    arrays.push({ name, items: compile(items) });
  }
  if (arrays.length === 0) return undefined;
  return { shell: compile({ ...top, properties: shellProperties }), arrays };
}

/** Ajv's errors for the first failure (none when valid), checked over as many turns as it takes. */
export async function validateInPieces(pieces: BodyInPieces, body: Record<string, unknown>): Promise<ErrorObject[] | undefined> {
  let turnStarted = performance.now();
  if (!pieces.shell(body)) return pieces.shell.errors ?? [];
  for (const { name, items } of pieces.arrays) {
    const list = body[name];
    if (!Array.isArray(list)) continue;
    for (let i = 0; i < list.length; i++) {
      if (performance.now() - turnStarted > TURN_BUDGET_MS) {
        await nextTurn();
        turnStarted = performance.now();
      }
      if (!items(list[i])) {
        const at = `/${name.replace(/~/g, '~0').replace(/\//g, '~1')}/${i}`;
        return (items.errors ?? []).map((e) => ({ ...e, instancePath: at + e.instancePath }));
      }
    }
  }
  return undefined;
}
