// The README runs: its ```sh blocks are executed in order, as one terminal session, against a
// fresh simulator, and each must succeed. A failure names the block and its README line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/server.js';
import { packageRoot } from '../../src/spec.js';
import { FAILED, fencedBlocks, MARK, outputOf, scriptFor, type CodeBlock } from '../helpers/readme-blocks.js';
import { runToEnd } from '../helpers/spawn.js';

const root = packageRoot();
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = fencedBlocks(readme);
const runnable = blocks.filter((b) => b.lang === 'sh');

let sim: RunningSimulator;
beforeAll(async () => {
  // What `npm start` gives a reader: default seed, real clock, bundled fixtures (on a free port).
  sim = await startSimulator({ port: 0, host: '127.0.0.1' });
});
afterAll(() => sim.close());

describe('README', () => {
  it('marks every code block with a language, so the test knows which ones run', () => {
    const indented = readme.split('\n').map((l, i) => ({ l, i })).filter(({ l }, i, all) => /^ {4}\S/.test(l) && (i === 0 || all[i - 1]!.l.trim() === '') && !/^ {4}[|-]/.test(l));
    expect(indented.map(({ l, i }) => `line ${i + 1}: ${l.trim()}`), 'indented code blocks: fence them as ```sh (runs), ```shell or ```text').toEqual([]);
    expect(blocks.filter((b) => b.lang === '').map((b) => `line ${b.line}`), 'fenced blocks without a language').toEqual([]);
    expect(runnable.length).toBeGreaterThan(5);
  });

  it('runs every ```sh block in order against a fresh simulator, each succeeding', async () => {
    const problem = await runBlocks(runnable);
    if (problem) expect.fail(problem);
  }, 150_000);

  it('names the README line, its block and the command when a block fails', async () => {
    const problem = await runBlocks(fencedBlocks('# t\n\n```sh\necho ok\n```\n\n```sh\nKEY=sk_test_readme\ncurl -s -H "Authorization: Bearer $KEY" localhost:12111/customers/cus_nope\necho never\n```\n'));
    expect(problem).toMatch(/^README\.md line 9 \(the sh block opened at line 7, 2 of 2\) failed with exit 22 at: curl .*cus_nope/);
    expect(problem).toContain('resource_missing');
    expect(problem).not.toContain('never');
  }, 60_000);
});

/** Runs the blocks as one bash session; undefined when all succeed, else what failed and its output. */
async function runBlocks(list: CodeBlock[]): Promise<string | undefined> {
  const script = scriptFor(list, sim.url);
  const result = await runToEnd('bash', ['-c', script.text], { cwd: root, timeoutMs: 120_000 });
  if (result.code === 0) {
    // Every block ran to its end (none was skipped by an early exit).
    const missing = list.map((_, i) => i + 1).filter((n) => !result.stdout.includes(`${MARK}${n}\n`));
    return missing.length ? `blocks ${missing.join(', ')} never ran` : undefined;
  }
  const failed = new RegExp(`${FAILED}block=(\\d+) script_line=(\\d+) status=(\\d+) command=(.*)`).exec(result.stderr);
  if (!failed) return `bash exited ${result.code}\n${result.stdout}${result.stderr}`.slice(-3000);
  const n = Number(failed[1]);
  const where = `README.md line ${script.readmeLine(Number(failed[2])) ?? '?'} (the sh block opened at line ${list[n - 1]?.line}, ${n} of ${list.length}) failed with exit ${failed[3]} at: ${failed[4]}`;
  return `${where}\n--- its output ---\n${(outputOf(result.stdout, n) + outputOf(result.stderr, n)).slice(-3000)}`;
}
