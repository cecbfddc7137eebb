// YAML pre-parsed at build time: `npm run build` runs `node dist/src/spec-cache.js`, which stores
// openapi.yaml and the bundled fixture files as JSON in dist/src/parsed-yaml.json, keyed by the
// SHA-256 of their text. The YAML parser (import + parse) was a third of start-up; a text that
// is not in the cache is parsed as before, so a stale cache costs time, never correctness.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from './spec.js';

const CACHE_FILE = join(dirname(fileURLToPath(import.meta.url)), 'parsed-yaml.json');
const require = createRequire(import.meta.url);

let cache: Record<string, string> | null | undefined;

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function yamlParse(text: string): unknown {
  // Loaded on first need only: with a warm cache the parser is never imported.
  return (require('yaml') as typeof import('yaml')).parse(text);
}

/** The parsed YAML (fresh objects on every call), from the build-time cache when it holds this exact text. */
export function parseYaml(text: string): unknown {
  if (cache === undefined) {
    try {
      cache = JSON.parse(readFileSync(CACHE_FILE, 'utf8')) as Record<string, string>;
    } catch {
      cache = null;
    }
  }
  const hit = cache?.[digest(text)];
  return hit !== undefined ? JSON.parse(hit) : yamlParse(text);
}

export function writeYamlCache(files: string[]): void {
  const out: Record<string, string> = {};
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    out[digest(text)] = JSON.stringify(yamlParse(text));
  }
  writeFileSync(CACHE_FILE, JSON.stringify(out));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = packageRoot();
  const fixtures = join(root, 'fixtures');
  let yamlFixtures: string[] = [];
  try {
    yamlFixtures = readdirSync(fixtures).filter((n) => /\.ya?ml$/.test(n)).map((n) => join(fixtures, n));
  } catch {
    // A build without the fixtures folder (the container's build stage) caches the spec only.
  }
  writeYamlCache([join(root, 'openapi.yaml'), ...yamlFixtures]);
}
