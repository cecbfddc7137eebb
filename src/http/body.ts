// Reading and parsing request bodies: size limit, content type, JSON quirks real clients send.
import type { IncomingMessage } from 'node:http';
import { errors, XPayError } from '../core/errors.js';
import { depthExceeds, MAX_JSON_DEPTH } from './validation.js';

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    });
    req.on('error', (e) => {
      if (!failed) reject(e);
      failed = true;
    });
  });
}

function tooLarge(limit: number): XPayError {
  return errors.code(413, 'invalid_request', `Request body is larger than the ${limit}-byte limit.`);
}

/** application/json (any +json), charset utf-8 or none; anything else is 415. */
export function checkJsonContentType(header: string | undefined): void {
  const unsupported = () =>
    errors.code(415, 'invalid_request', `Unsupported Content-Type ${header ?? '(none)'}; send application/json.`);
  if (!header) throw unsupported();
  const [type, ...params] = header.split(';').map((s) => s.trim().toLowerCase());
  if (type !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(type ?? '')) throw unsupported();
  for (const p of params) {
    const [name, value] = p.split('=').map((s) => s.trim().replace(/^"|"$/g, ''));
    if (name === 'charset' && value !== 'utf-8' && value !== 'utf8') throw unsupported();
  }
}

/**
 * Parses a JSON request body. An empty body reads as `{}`, and so does `[]`: PHP clients
 * (XPay's own WooCommerce plugin among them) encode an empty parameter list as `[]`.
 */
export function parseJsonBody(raw: Buffer): Record<string, unknown> {
  let text = raw.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw errors.code(400, 'invalid_request', `Request body is not valid JSON: ${(e as Error).message}`);
  }
  if (Array.isArray(value) && value.length === 0) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw errors.invalid(undefined, 'Request body must be a JSON object.');
  }
  if (depthExceeds(value)) throw errors.invalid(undefined, `Request body is nested deeper than ${MAX_JSON_DEPTH} levels.`);
  return value as Record<string, unknown>;
}
