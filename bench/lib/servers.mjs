// Starting, pinning, probing and stopping the servers under test (simulator, bare node:http, Prism).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import http from 'node:http';

export const ROOT = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
export const KEY = 'sk_test_bench';
export const HAS_TASKSET = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
/** Servers run on the last core, load generators on the first (2-core machines: one each). */
export const SERVER_CPU = String(Math.max(0, (await import('node:os')).cpus().length - 1));
export const CLIENT_CPU = '0';

export async function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** `cmd args` on core `cpu` (null: wherever the OS schedules it). */
export function pinned(cpu, cmd, args) {
  return HAS_TASKSET && cpu !== null ? ['taskset', ['-c', cpu, cmd, ...args]] : [cmd, args];
}

/** One HTTP request; resolves {status, body, ms}. `decode: false` leaves the body a Buffer (no work for this process' event loop). */
export function request(url, { method = 'GET', headers = {}, body, agent, timeoutMs = 10_000, decode = true } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const data = body === undefined || typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    const req = http.request(url, {
      method,
      agent,
      headers: { ...(data !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } : {}), ...headers },
      timeout: timeoutMs,
    });
    req.on('response', (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: decode ? Buffer.concat(chunks).toString('utf8') : Buffer.concat(chunks), ms: performance.now() - started }));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms: ${method} ${url}`)));
    req.on('error', reject);
    req.end(data);
  });
}

export function rssKb(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Spawns a server and polls `healthPath` every 2 ms until it answers 200 (bounded by
 * `timeoutMs`). Returns the process, its URL and the start-up time (spawn → first 200).
 */
export async function startServer(name, cmd, args, { healthPath = '/health', port, timeoutMs = 60_000, env = {}, cpu = SERVER_CPU } = {}) {
  const [bin, argv] = pinned(cpu, cmd, args);
  const started = performance.now();
  const proc = spawn(bin, argv, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (c) => (stderr = (stderr + c).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const agent = new http.Agent({ keepAlive: false });
  while (true) {
    if (proc.exitCode !== null) throw new Error(`${name} exited (${proc.exitCode}) before answering: ${stderr}`);
    if (performance.now() - started > timeoutMs) {
      proc.kill('SIGKILL');
      throw new Error(`${name} did not answer ${healthPath} within ${timeoutMs} ms: ${stderr}`);
    }
    try {
      const res = await request(url + healthPath, { agent, headers: { Authorization: `Bearer ${KEY}` }, timeoutMs: 2000 });
      if (res.status === 200) break;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  const startupMs = performance.now() - started;
  return { name, proc, url, port, startupMs, stop: () => stopProcess(proc), rssKb: () => rssKb(proc.pid) };
}

export function stopProcess(proc) {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => proc.kill('SIGKILL'), 3000);
    proc.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    proc.kill('SIGTERM');
  });
}

export async function startSim({ fixtures, data, extraArgs = [], env, cpu } = {}) {
  const port = await freePort();
  const args = [join(ROOT, 'dist/src/cli.js'), '--port', String(port), '--host', '127.0.0.1', '--seed', 'bench', ...extraArgs];
  if (fixtures) args.push('--fixtures', fixtures);
  if (data) args.push('--data', data);
  return startServer('simulator', process.execPath, args, { port, env, ...(cpu !== undefined ? { cpu } : {}) });
}

export async function startBare(bodiesFile) {
  const port = await freePort();
  return startServer('bare', process.execPath, [join(ROOT, 'bench/bare-server.mjs'), String(port), bodiesFile], { port });
}

export const PRISM_VERSION = '5.14.2';
const PRISM_DIR = join(ROOT, 'bench/.tools');
const PRISM_BIN = join(PRISM_DIR, 'node_modules/.bin/prism');

/** Installs the pinned Prism into bench/.tools on first use (≥5.15 needs Node 24). */
export function ensurePrism(log) {
  const pkg = join(PRISM_DIR, 'node_modules/@stoplight/prism-cli/package.json');
  if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).version === PRISM_VERSION) return PRISM_BIN;
  log(`installing @stoplight/prism-cli@${PRISM_VERSION} into bench/.tools …`);
  const r = spawnSync('npm', ['install', '--prefix', PRISM_DIR, '--no-audit', '--no-fund', `@stoplight/prism-cli@${PRISM_VERSION}`], { stdio: 'inherit', cwd: ROOT });
  if (r.status !== 0) throw new Error('could not install Prism');
  return PRISM_BIN;
}

export async function startPrism() {
  const port = await freePort();
  // Prism has no /health: its mock of the spec's own GET /health answers 200 once it listens.
  return startServer('prism', PRISM_BIN, ['mock', '-h', '127.0.0.1', '-p', String(port), join(ROOT, 'openapi.yaml')], { port, timeoutMs: 90_000 });
}
