// Every refusal the simulator may give a request that XPay's contract accepts, and where the rule
// is written: XPay's contract, ../shared/xpay-api.md, or docs/assumptions.md. The generated request
// test fails on any refusal not listed here, and on any entry whose quoted text cannot be found.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { packageRoot } from '../../src/spec.js';
import { XPAY_CONTRACT_PATH } from '../helpers/contract.js';
import type { Outcome } from './request-runner.js';

type Source = 'contract' | 'xpay-api.md' | 'assumptions.md';

export interface Rule {
  /** Operations it applies to ('*' for all). */
  ops: string[] | '*';
  status: number;
  code: string;
  /** The error's param: exact, or a pattern; undefined means "any". */
  param?: string | RegExp;
  /** Where the rule is written, and a short phrase from it that locates it. */
  source: Source;
  quote: string;
}

export const RULES: Rule[] = [
];

export function findRule(o: Outcome): Rule | undefined {
  const error = (o.response.body as { error?: { code?: string; param?: string } })?.error;
  if (!error) return undefined;
  return RULES.find((r) =>
    (r.ops === '*' || r.ops.includes(o.operation.operationId)) &&
    r.status === o.response.status &&
    r.code === error.code &&
    (r.param === undefined || (typeof r.param === 'string' ? r.param === error.param : error.param !== undefined && r.param.test(error.param))));
}

const normalize = (text: string) => text.toLowerCase().replace(/\\n/g, ' ').replace(/[\s*`_]+/g, ' ');

function sourceText(source: Source): string | undefined {
  const path = source === 'contract' ? XPAY_CONTRACT_PATH
    : source === 'xpay-api.md' ? join(dirname(XPAY_CONTRACT_PATH), 'xpay-api.md')
    : join(packageRoot(), 'docs', 'assumptions.md');
  return existsSync(path) ? normalize(readFileSync(path, 'utf8')) : undefined;
}

/** Entries whose quote is not found in their source (a rule must be written where it says). */
export function ruleSourceProblems(): string[] {
  const texts = new Map<Source, string | undefined>();
  const problems: string[] = [];
  for (const r of RULES) {
    if (!texts.has(r.source)) texts.set(r.source, sourceText(r.source));
    const text = texts.get(r.source);
    if (text === undefined) continue; // the shared file is absent; the test skips before this matters
    if (!text.includes(normalize(r.quote))) problems.push(`${r.code} (${String(r.param)}): "${r.quote}" is not in ${r.source}`);
  }
  return problems;
}
