// Loads openapi.yaml once; everything that routes or validates reads it from here.
import { readFileSync, existsSync } from 'node:fs';
import { parseYaml } from './spec-cache.js';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type OpenApiDocument = {
  paths: Record<string, Record<string, OperationObject>>;
  components: { schemas: Record<string, unknown>; parameters?: Record<string, ParameterObject> };
  [key: string]: unknown;
};
export type ParameterObject = { name: string; in: string; required?: boolean; schema?: unknown; $ref?: string };
export type OperationObject = {
  operationId: string;
  tags?: string[];
  security?: Array<Record<string, string[]>>;
  parameters?: ParameterObject[];
  requestBody?: { required?: boolean; content: Record<string, { schema: unknown }> };
  responses: Record<string, { $ref?: string; content?: Record<string, { schema: unknown }> }>;
};

/** The folder holding package.json and openapi.yaml, both from src/ (tests) and dist/src/ (built). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'openapi.yaml'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('openapi.yaml not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
}

let cached: { text: string; doc: OpenApiDocument } | undefined;

export function loadSpec(): { text: string; doc: OpenApiDocument } {
  if (!cached) {
    const text = readFileSync(join(packageRoot(), 'openapi.yaml'), 'utf8');
    cached = { text, doc: parseYaml(text) as OpenApiDocument };
  }
  return cached;
}

/** The version in package.json (what `xpay-sim --version` prints). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

export const HTTP_METHODS = ['get', 'post', 'patch', 'put', 'delete'] as const;
