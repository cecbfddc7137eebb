// Serves the Workbench (the browser dashboard built from src/workbench into dist/workbench by
// scripts/build-workbench.mjs) at /_sim/ui, and the simulator's home page at / that links to it.
// The server only reads and serves the built files; it never imports browser code.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Request, Response, Router } from 'express';
import { packageRoot, packageVersion } from '../spec.js';
import type { Simulator } from '../simulator.js';

export const WORKBENCH_PATH = '/_sim/ui';

/** Everything the Workbench loads comes from here; no inline script or style, no other origin. */
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const SECURITY_HEADERS = { 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-cache' };

const FILES: Record<string, string> = {
  '': 'text/html; charset=utf-8',
  '/workbench.js': 'application/javascript; charset=utf-8',
  '/workbench.css': 'text/css; charset=utf-8',
};

const cache = new Map<string, string>();

function builtFile(name: string): string | undefined {
  let text = cache.get(name);
  if (text === undefined) {
    try {
      text = readFileSync(join(packageRoot(), 'dist', 'workbench', name), 'utf8');
    } catch {
      return undefined;
    }
    cache.set(name, text);
  }
  return text;
}

function serveAsset(req: Request, res: Response): void {
  const rest = req.path.slice(WORKBENCH_PATH.length).replace(/\/$/, '');
  const type = FILES[rest];
  if (type === undefined) return void res.status(404).set(SECURITY_HEADERS).type('text/plain').send('No such Workbench file.');
  const text = builtFile(rest === '' ? 'index.html' : rest.slice(1));
  if (text === undefined) {
    return void res.status(503).set(SECURITY_HEADERS).type('text/plain').send('The Workbench is not built (dist/workbench is missing); run "npm run build".');
  }
  res.status(200).set(SECURITY_HEADERS).type(type).send(text);
}

/** GET /: a person gets a page pointing at the Workbench and the docs; a program gets the same as JSON. */
function home(sim: Simulator, req: Request, res: Response): void {
  const links = { workbench: `${sim.publicUrl}${WORKBENCH_PATH}`, openapi: `${sim.publicUrl}/openapi.yaml`, health: `${sim.publicUrl}/health` };
  if (req.accepts(['application/json', 'text/html']) !== 'text/html') {
    return void res.status(200).json({ object: 'sim.home', name: 'xpay-sim', version: packageVersion(), ...links });
  }
  res.status(200).set(SECURITY_HEADERS).type('html').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>xpay-sim</title></head>
<body><main><h1>xpay-sim ${packageVersion()}</h1>
<p>A local simulator of the XPay v3 API is running here.</p>
<ul><li><a href="${WORKBENCH_PATH}">Open the Workbench</a>: watch and drive a namespace (paste its API key)</li>
<li><a href="/openapi.yaml">openapi.yaml</a>: every route it serves</li><li><a href="/health">/health</a></li></ul></main></body></html>`);
}

export function mountWorkbench(app: Router, sim: Simulator): void {
  app.get('/', (req, res) => home(sim, req, res));
  app.get(/^\/_sim\/ui(\/.*)?$/, serveAsset);
}
