// Endpoints about the simulator itself: health probe and the OpenAPI document.
import type { Handler } from '../http/types.js';

export const getHealth: Handler = (ctx) => ({
  status: 200,
  body: { status: 'ok', version: '0.1.0', uptimeMs: Date.now() - ctx.sim.startedAt },
});

export const getOpenApiDocument: Handler = (ctx) => ({
  status: 200,
  raw: { contentType: 'application/yaml; charset=utf-8', data: ctx.sim.spec.text },
});
