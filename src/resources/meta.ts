// Endpoints about the simulator itself: health probe and the OpenAPI document.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Handler } from '../http/types.js';
import { packageRoot } from '../spec.js';

/** The version in package.json, read once (the same in a checkout and an installed package). */
export const VERSION: string = (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;

export const getHealth: Handler = (ctx) => ({
  status: 200,
  body: { status: 'ok', version: VERSION, uptimeMs: Date.now() - ctx.sim.startedAt },
});

export const getOpenApiDocument: Handler = (ctx) => ({
  status: 200,
  raw: { contentType: 'application/yaml; charset=utf-8', data: ctx.sim.spec.text },
});
