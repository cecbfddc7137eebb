// A `--data` simulator in a child process, for tests that kill it with SIGKILL and restart on the
// same files: start it, call its API and pages with plain fetch, kill it hard.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../src/spec.js';
import { TEST_KEY } from './sim.js';

const auth = { Authorization: `Bearer ${TEST_KEY}`, 'Content-Type': 'application/json' };

/**
 * The CLI in a child process (optionally wrapped, e.g. by unshare); resolves once it listens.
 * It is killed by the function pushed onto `cleanup` if still running.
 */
export function startDataCli(cleanup: Array<() => unknown>, args: string[], wrap: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; url: string }> {
  // The seed of the in-process test simulators, so page URLs (their namespace tokens) match after a restart.
  const node = [process.execPath, '--import', 'tsx', join(packageRoot(), 'src/cli.ts'), '--port', '0', '--host', '127.0.0.1', '--seed', 'test-seed', ...args];
  const [cmd, ...rest] = [...wrap, ...node];
  const child = spawn(cmd!, rest, { cwd: packageRoot(), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  cleanup.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (c: Buffer) => {
      out += c;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}

export async function killHard(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

/** An API call with the test key; the body parsed (undefined when empty). */
export async function api(url: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url + path, { method, headers: auth, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

/** A page form post, as a browser sends it (redirects not followed). */
export async function form(url: string, path: string, fields: Record<string, string>): Promise<{ status: number; location: string | null }> {
  const res = await fetch(url + path, {
    method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString(),
  });
  await res.arrayBuffer();
  return { status: res.status, location: res.headers.get('location') };
}
