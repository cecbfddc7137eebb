// A fresh simulator per test on an ephemeral 127.0.0.1 port, and a client whose every
// response is checked against the contracts.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '../../src/server.js';
import type { SimulatorOptions } from '../../src/config.js';
import { assertMatchesContract } from './contract.js';

export const TEST_KEY = 'sk_test_xpaysim_tests';
export const FROZEN_NOW = '2026-03-01T10:00:00.000Z';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
  text: string;
}

export interface RequestOptions {
  key?: string | null;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  /** Skip contract validation (only for deliberately broken requests on purpose-built paths). */
  unchecked?: boolean;
}

export interface TestSim extends RunningSimulator {
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
  get<T = any>(path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
  post<T = any>(path: string, body?: unknown, options?: RequestOptions): Promise<ApiResponse<T>>;
  patch<T = any>(path: string, body?: unknown, options?: RequestOptions): Promise<ApiResponse<T>>;
  del<T = any>(path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
}

/**
 * XPAY_SIM_VERIFY_JOURNAL=1 runs every test simulator with a temporary --data file, and persistence
 * replays each journal record and compares it with memory: a change the journal missed fails loudly.
 */
function verifyJournalFile(config: SimulatorOptions): SimulatorOptions {
  // A test that names dataFile (even as undefined, for "without --data") keeps its choice.
  if (process.env.XPAY_SIM_VERIFY_JOURNAL !== '1' || 'dataFile' in config) return {};
  return { dataFile: join(mkdtempSync(join(tmpdir(), 'xpay-sim-verify-')), 'state.json') };
}

export async function startTestSim(config: SimulatorOptions = {}): Promise<TestSim> {
  const running = await startSimulator({ port: 0, host: '127.0.0.1', seed: 'test-seed', now: Date.parse(FROZEN_NOW), clockMode: 'frozen', ...verifyJournalFile(config), ...config });
  const request = async <T>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> => {
    const headers: Record<string, string> = { ...options.headers };
    const key = options.key === undefined ? TEST_KEY : options.key;
    if (key !== null && headers.Authorization === undefined) headers.Authorization = `Bearer ${key}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['Content-Type'] ??= 'application/json';
    }
    const res = await fetch(running.url + path, { method, headers, body });
    const text = await res.text();
    const contentType = res.headers.get('content-type');
    let parsed: unknown = text;
    if (contentType?.startsWith('application/json') && text !== '') parsed = JSON.parse(text);
    if (!options.unchecked) assertMatchesContract({ method, path, status: res.status, contentType, body: text === '' ? undefined : parsed });
    return { status: res.status, body: parsed as T, headers: res.headers, text };
  };
  return {
    ...running,
    request,
    get: (path, options) => request('GET', path, options),
    post: (path, body, options) => request('POST', path, { ...options, body }),
    patch: (path, body, options) => request('PATCH', path, { ...options, body }),
    del: (path, options) => request('DELETE', path, options),
  };
}

/** Asserts an XPay error shape and returns its `error` object. */
export function expectError(res: ApiResponse, status: number, code: string, param?: string): Record<string, unknown> {
  const error = (res.body as { error?: Record<string, unknown> }).error;
  if (res.status !== status || !error || error.code !== code || (param !== undefined && error.param !== param)) {
    throw new Error(`expected ${status} ${code}${param ? ` (param ${param})` : ''}, got ${res.status} ${res.text.slice(0, 500)}`);
  }
  if (typeof (res.body as { request_id?: unknown }).request_id !== 'string') throw new Error('error without request_id');
  if (error.doc_url !== `https://docs.xpay.app/integrate/errors/api-error-codes#${code}`) throw new Error('error without doc_url');
  return error;
}
