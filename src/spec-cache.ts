// openapi.yaml pre-parsed to JSON at build time (dist/src/openapi.json): JSON.parse is many times
// faster than the YAML parser, which dominated start-up. A stale or missing cache is ignored.
// `node dist/src/spec-cache.js` (run by `npm run build`) writes it.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { packageRoot, type OpenApiDocument } from './spec.js';

const CACHE_FILE = join(dirname(fileURLToPath(import.meta.url)), 'openapi.json');

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The parsed document when a cache made from exactly this YAML text sits beside this module. */
export function readSpecCache(text: string): OpenApiDocument | undefined {
  try {
    const cache = JSON.parse(readFileSync(CACHE_FILE, 'utf8')) as { sha256: string; doc: OpenApiDocument };
    return cache.sha256 === digest(text) ? cache.doc : undefined;
  } catch {
    return undefined;
  }
}

export function writeSpecCache(yamlPath: string): void {
  const text = readFileSync(yamlPath, 'utf8');
  writeFileSync(CACHE_FILE, JSON.stringify({ sha256: digest(text), doc: YAML.parse(text) }));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) writeSpecCache(join(packageRoot(), 'openapi.yaml'));
