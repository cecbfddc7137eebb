// Structural comparison of openapi.yaml with XPay's published contract: operations, parameters,
// success statuses and component schemas. Returns readable differences; the spec test asserts none.
type Schema = Record<string, any>;

const OUR_EXTRA_PARAMS = new Set(['query liveMode', 'header Idempotency-Key']);
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function refName(ref: string): string {
  return ref.split('/').pop()!;
}

/** Follows a local `#/components/parameters/X` reference. */
function param(doc: Schema, p: Schema): Schema {
  return p.$ref ? doc.components.parameters[refName(p.$ref)] : p;
}

/** Schema names referenced directly by a node (through allOf/anyOf/oneOf/items), not deeper. */
export function refsOf(node: Schema | undefined): string[] {
  if (!node || typeof node !== 'object') return [];
  const out: string[] = [];
  if (typeof node.$ref === 'string') out.push(refName(node.$ref));
  for (const k of ['allOf', 'anyOf', 'oneOf']) for (const n of node[k] ?? []) out.push(...refsOf(n));
  if (node.items) out.push(...refsOf(node.items));
  return [...new Set(out)].sort();
}

/** Enum values found on a node or its direct alternatives/items, without `null`. */
export function enumOf(node: Schema | undefined): string[] {
  if (!node || typeof node !== 'object') return [];
  const out: unknown[] = [...(node.enum ?? [])];
  for (const k of ['allOf', 'anyOf', 'oneOf']) for (const n of node[k] ?? []) out.push(...enumOf(n));
  if (node.items) out.push(...enumOf(node.items));
  return [...new Set(out.filter((v) => v !== null).map((v) => JSON.stringify(v)))].sort();
}

/** 3.0 `nullable: true` on their side; `'null'` in type, a null branch or a null enum value on ours. */
export function isNullable(node: Schema | undefined): boolean {
  if (!node || typeof node !== 'object') return false;
  if (node.nullable === true) return true;
  if (node.type === 'null' || (Array.isArray(node.type) && node.type.includes('null'))) return true;
  if (Array.isArray(node.enum) && node.enum.includes(null)) return true;
  return ['anyOf', 'oneOf'].some((k) => (node[k] ?? []).some(isNullable));
}

function successStatuses(op: Schema): string[] {
  return Object.keys(op.responses ?? {}).filter((s) => /^2\d\d$/.test(s)).sort();
}

function successSchemaRefs(op: Schema): string[] {
  return successStatuses(op).flatMap((s) => refsOf(op.responses[s]?.content?.['application/json']?.schema));
}

export function compareOperations(theirs: Schema, ours: Schema): string[] {
  const diffs: string[] = [];
  for (const [path, item] of Object.entries<Schema>(theirs.paths)) {
    for (const method of METHODS) {
      const their = item[method];
      if (!their) continue;
      const at = `${method.toUpperCase()} ${path} (${their.operationId})`;
      const our = ours.paths[path]?.[method];
      if (!our) {
        diffs.push(`${at}: missing from openapi.yaml`);
        continue;
      }
      if (our.operationId !== their.operationId) diffs.push(`${at}: our operationId is ${our.operationId}`);
      const byKey = (list: Schema[]) => new Map<string, Schema>(list.map((p) => [`${p.in} ${p.name}`, p]));
      const theirParams = byKey(their.parameters ?? []);
      const ourParams = byKey((our.parameters ?? []).map((p: Schema) => param(ours, p)));
      for (const [key, p] of theirParams) {
        const o = ourParams.get(key);
        if (!o) diffs.push(`${at}: parameter ${key} missing`);
        else if (Boolean(o.required) !== Boolean(p.required)) diffs.push(`${at}: parameter ${key} required=${Boolean(o.required)}, theirs ${Boolean(p.required)}`);
        else if (enumOf(o.schema).join() !== enumOf(p.schema).join()) diffs.push(`${at}: parameter ${key} enum differs`);
      }
      for (const key of ourParams.keys()) {
        if (!theirParams.has(key) && !OUR_EXTRA_PARAMS.has(key)) diffs.push(`${at}: extra parameter ${key}`);
      }
      if (successStatuses(our).join() !== successStatuses(their).join()) {
        diffs.push(`${at}: success statuses ${successStatuses(our)} vs theirs ${successStatuses(their)}`);
      }
      if (successSchemaRefs(our).join() !== successSchemaRefs(their).join()) {
        diffs.push(`${at}: success schema ${successSchemaRefs(our)} vs theirs ${successSchemaRefs(their)}`);
      }
      const ourBody = refsOf(our.requestBody?.content?.['application/json']?.schema).join();
      const theirBody = refsOf(their.requestBody?.content?.['application/json']?.schema).join();
      if (ourBody !== theirBody) diffs.push(`${at}: request body ${ourBody || '(none)'} vs theirs ${theirBody || '(none)'}`);
      if (Boolean(our.requestBody?.required) !== Boolean(their.requestBody?.required)) diffs.push(`${at}: requestBody.required differs`);
    }
  }
  return diffs;
}

/** `supersets`: `Schema.prop` paths where ours deliberately accepts more values than theirs. */
export function compareSchemas(theirs: Schema, ours: Schema, supersets: ReadonlySet<string> = new Set()): string[] {
  const diffs: string[] = [];
  const ourSchemas: Record<string, Schema> = ours.components.schemas;
  for (const [name, their] of Object.entries<Schema>(theirs.components.schemas)) {
    const our = ourSchemas[name];
    if (!our) diffs.push(`${name}: missing from openapi.yaml`);
    else compareObject(name, their, our, diffs, supersets);
  }
  return diffs;
}

/** The branch of ours that carries the inline object (ours may wrap it as `anyOf: [obj, null]`). */
function objectBranch(node: Schema): Schema {
  if (node.properties) return node;
  for (const k of ['anyOf', 'oneOf', 'allOf']) for (const n of node[k] ?? []) if (n.properties) return n;
  return node;
}

function compareObject(name: string, their: Schema, our: Schema, diffs: string[], supersets: ReadonlySet<string>): void {
  const theirProps: Record<string, Schema> = their.properties ?? {};
  const ourProps: Record<string, Schema> = our.properties ?? {};
  const names = (o: Record<string, unknown>) => Object.keys(o).sort().join(', ');
  if (names(theirProps) !== names(ourProps)) diffs.push(`${name}: properties [${names(ourProps)}] vs theirs [${names(theirProps)}]`);
  const req = (s: Schema) => [...(s.required ?? [])].sort().join(', ');
  if (req(our) !== req(their)) diffs.push(`${name}: required [${req(our)}] vs theirs [${req(their)}]`);
  if ((their.additionalProperties === false) !== (our.additionalProperties === false)) diffs.push(`${name}: additionalProperties:false differs`);
  if (enumOf(our).join() !== enumOf(their).join()) diffs.push(`${name}: enum differs`);
  for (const [prop, t] of Object.entries(theirProps)) {
    const o = ourProps[prop];
    if (!o) continue;
    const at = `${name}.${prop}`;
    const sameEnum = supersets.has(at) ? enumOf(t).every((v) => enumOf(o).includes(v)) : enumOf(o).join() === enumOf(t).join();
    if (!sameEnum) diffs.push(`${at}: enum [${enumOf(o)}] vs theirs [${enumOf(t)}]`);
    if (isNullable(o) !== isNullable(t)) diffs.push(`${at}: nullable ${isNullable(o)} vs theirs ${isNullable(t)}`);
    if (refsOf(o).join() !== refsOf(t).join()) diffs.push(`${at}: refers to [${refsOf(o)}] vs theirs [${refsOf(t)}]`);
    if (t.properties) compareObject(at, t, objectBranch(o), diffs, supersets);
    if (t.items?.properties) compareObject(`${at}[]`, t.items, objectBranch(objectBranch(o).items ?? {}), diffs, supersets);
  }
}

/** Their description strings long enough to be prose (not a word or a name). */
export function longDescriptions(node: unknown, min = 40, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const n of node) longDescriptions(n, min, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'description' && typeof v === 'string' && v.trim().length > min) out.add(v.trim());
      else longDescriptions(v, min, out);
    }
  }
  return out;
}
