// Rendering helpers shared by resources: records become responses by dropping `_` fields.
export function stripInternal<T extends object>(record: T): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) if (k.charCodeAt(0) !== 95 /* _ */) out[k] = v;
  return out;
}
