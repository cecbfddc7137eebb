#!/usr/bin/env node
// `xpay-sim`: start the simulator from the command line (flags or XPAY_SIM_* variables).
import { ConfigError, parseConfig, USAGE } from './config.js';
import { FixtureError } from './store/fixtures.js';
import { startSimulator } from './server.js';
import { webhookBanner } from './webhooks/install.js';
import { packageVersion } from './spec.js';

async function main(): Promise<void> {
  if (process.argv[2] === 'healthcheck') return healthcheck(process.argv.slice(3));
  // Loaded only for this command, so a plain start never imports Faker.
  if (process.argv[2] === 'generate') return (await import('./generate/command.js')).generateCommand(process.argv.slice(3));
  let config;
  try {
    config = parseConfig(process.argv.slice(2), process.env);
  } catch (e) {
    // One line: the reason, and where the options are listed.
    process.stderr.write(`xpay-sim: ${(e as Error).message.split('\n')[0]} (see xpay-sim --help)\n`);
    process.exit(2);
  }
  if (config === 'help') {
    process.stdout.write(USAGE + '\n');
    return;
  }
  if (config === 'version') {
    process.stdout.write(packageVersion() + '\n');
    return;
  }
  let running;
  try {
    running = await startSimulator(config);
  } catch (e) {
    const known = e instanceof FixtureError || e instanceof ConfigError || (e as NodeJS.ErrnoException).code === 'EADDRINUSE';
    process.stderr.write(`xpay-sim: ${known ? (e as Error).message : (e as Error).stack}\n`);
    process.exit(1);
  }
  process.stdout.write(
    `xpay-sim listening on ${running.url}\n` +
      `  try: curl -H "Authorization: Bearer sk_test_demo" ${running.url}/customers\n` +
      `  point XPay clients at XPAY_API_URL=${running.url}\n` +
      `  Workbench (watch and drive a namespace): ${running.url}/_sim/ui\n` +
      webhookBanner(config),
  );
  const stop = (signal: string) => {
    process.stdout.write(`xpay-sim: ${signal}, shutting down\n`);
    running.close().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

/** Container HEALTHCHECK without curl: exit 0 when /health answers 200. Reads the same flags and variables. */
async function healthcheck(args: string[]): Promise<void> {
  let config;
  try {
    config = parseConfig(args, process.env);
  } catch (e) {
    process.stderr.write(`xpay-sim healthcheck: ${(e as Error).message.split('\n')[0]}\n`);
    process.exit(2);
  }
  if (config === 'help' || config === 'version') {
    process.stdout.write('Usage: xpay-sim healthcheck [--port N] [--host H]   exits 0 when /health answers 200\n');
    return;
  }
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  try {
    const res = await fetch(`http://${host.includes(':') ? `[${host}]` : host}:${config.port}/health`, { signal: AbortSignal.timeout(2000) });
    process.exit(res.status === 200 ? 0 : 1);
  } catch {
    process.exit(1);
  }
}

void main();
