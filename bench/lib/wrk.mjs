// Running wrk (single-endpoint load) pinned to the client core and reading its Lua JSON summary.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { CLIENT_CPU, pinned, ROOT } from './servers.mjs';

const LUA_DIR = join(ROOT, 'bench/lua');

/** wrk comes from the Debian package; installed with apt-get when missing. */
export function ensureWrk(log) {
  if (spawnSync('wrk', ['--version']).error === undefined) return;
  log('wrk not found: installing the Debian package (apt-get update && apt-get install -y wrk) …');
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const run = (args) => spawnSync(sudo.length ? 'sudo' : args[0], sudo.length ? args : args.slice(1), { stdio: 'inherit' });
  if (run(['apt-get', 'update']).status !== 0 || run(['apt-get', 'install', '-y', 'wrk']).status !== 0) {
    throw new Error('could not install wrk; install it (apt-get install wrk) and run again');
  }
}

/**
 * One wrk run. `script` is a file in bench/lua, `args` its arguments. Resolves the parsed
 * summary plus requests/s; wrk's own time limit bounds it, and a watchdog kills it past that.
 */
export function runWrk(url, { script, args = [], seconds, connections = 50, threads = 1 }) {
  const [bin, argv] = pinned(CLIENT_CPU, 'wrk', [
    `-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--timeout', '5s', '--latency', '-s', join(LUA_DIR, script), url, '--', ...args,
  ]);
  return new Promise((resolve, reject) => {
    const proc = spawn(bin, argv, { env: { ...process.env, BENCH_LUA_DIR: LUA_DIR }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (c) => (out += c));
    proc.stderr.on('data', (c) => (err += c));
    const watchdog = setTimeout(() => proc.kill('SIGKILL'), (seconds + 15) * 1000);
    proc.on('exit', (code) => {
      clearTimeout(watchdog);
      const line = out.split('\n').find((l) => l.startsWith('WRK_JSON '));
      if (!line) return reject(new Error(`wrk failed (${code}): ${err || out}`));
      const s = JSON.parse(line.slice('WRK_JSON '.length));
      const errors = s.connectErrors + s.readErrors + s.writeErrors + s.timeouts;
      resolve({ ...s, rps: s.requests / (s.durationUs / 1e6), socketErrors: errors });
    });
  });
}
