// /upload-url: one-time URLs on the simulator itself that accept a product image (PUT),
// and serve it afterwards at the returned fileUrl.
import { namespaceByToken, pagePaths } from '../control/page-urls.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors, XPayError } from '../core/errors.js';
import { nsOf, type Handler } from '../http/types.js';
import type { Simulator } from '../simulator.js';
import type { Namespace } from '../store/namespace.js';
import type { UploadRecord } from '../store/types.js';
import { readBody } from '../http/body.js';
import { errorResult, writeResult } from '../http/respond.js';

export const UPLOAD_TTL_MS = 60 * 60 * 1000;
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
const UNSUPPORTED = 'Upload a PNG, JPEG, WebP or GIF image (checked by its content; SVG is not accepted).';

export const createUploadUrl: Handler = (ctx) => {
  const ns = nsOf(ctx);
  const token = 'upl_' + ns.random.base62(24);
  // The URL names the namespace: forked namespaces hand out the same upload tokens.
  const base = ctx.sim.publicUrl + pagePaths.upload(ctx.sim, ns, token);
  const upload: UploadRecord = {
    token,
    fileUrl: `${base}/file`,
    expiresAt: new Date(ns.clock.now() + UPLOAD_TTL_MS).toISOString(),
    usedAt: null,
    contentType: null,
    _bytes: null,
  };
  ns.db.uploads.set(token, upload);
  return { status: 201, body: { uploadUrl: base, fileUrl: upload.fileUrl, method: 'PUT', expiresAt: upload.expiresAt } };
};

/** A product image must be an http(s) URL; one of our own upload URLs must have been uploaded. */
export function checkImageUrl(sim: Simulator, ns: Namespace, value: string | null | undefined): string | null {
  if (value === undefined || value === null || value === '') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw errors.invalid('image', 'image must be an absolute http(s) URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw errors.invalid('image', 'image must be an absolute http(s) URL.');
  const own = /^\/uploads\/(ns_[A-Za-z0-9_-]+)\/(upl_[A-Za-z0-9]+)\/file$/.exec(url.pathname);
  if (own && url.origin === new URL(ns.publicUrl).origin) {
    const upload = namespaceByToken(sim, own[1]!) === ns ? ns.db.uploads.get(own[2]!) : undefined;
    if (!upload?.usedAt) throw errors.invalid('image', 'Nothing was uploaded to this URL yet; PUT the image to uploadUrl first.');
  }
  return value;
}

function findUpload(sim: Simulator, nsToken: string, token: string): { ns: Namespace; upload: UploadRecord } | undefined {
  const ns = namespaceByToken(sim, nsToken);
  const upload = ns?.db.uploads.get(token);
  return ns && upload ? { ns, upload } : undefined;
}

/** The image types a product image may have, told by their first bytes (never by Content-Type). */
const IMAGE_SIGNATURES: Array<{ type: string; matches: (b: Buffer) => boolean }> = [
  { type: 'image/png', matches: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { type: 'image/jpeg', matches: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'image/gif', matches: (b) => ['GIF87a', 'GIF89a'].includes(b.subarray(0, 6).toString('latin1')) },
  { type: 'image/webp', matches: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
];

export function imageTypeOf(bytes: Buffer): string | undefined {
  return IMAGE_SIGNATURES.find((s) => s.matches(bytes))?.type;
}

/** An uploaded file is shown as an image and nothing else: no sniffing, no scripts, no framing. */
const FILE_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'",
  'Content-Disposition': 'inline',
  'Cross-Origin-Resource-Policy': 'cross-origin',
};

function methodNotAllowed(message: string, allow: string): XPayError {
  return new XPayError(405, 'invalid_request_error', 'invalid_request', message, undefined, { Allow: allow });
}

/** PUT /uploads/{token} (the image bytes) and GET /uploads/{token}/file. */
export async function handleUploadPage(sim: Simulator, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
  const requestId = sim.nextRequestId();
  const m = /^\/uploads\/(ns_[A-Za-z0-9_-]+)\/(upl_[A-Za-z0-9]+)(\/file)?$/.exec(pathname);
  const found = m ? findUpload(sim, m[1]!, m[2]!) : undefined;
  try {
    if (!m || !found) throw errors.code(404, 'resource_missing', 'No such upload URL.');
    const { ns, upload } = found;
    if (m[3]) {
      if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed('Use GET on a file URL.', 'GET, HEAD');
      if (!upload._bytes) throw errors.code(404, 'resource_missing', 'Nothing was uploaded to this URL yet.');
      const data = Buffer.from(upload._bytes, 'base64');
      // Served with the type its bytes showed at upload (older records: checked again here).
      const type = imageTypeOf(data);
      if (!type) throw errors.code(404, 'resource_missing', 'Nothing was uploaded to this URL yet.');
      return writeResult(res, requestId, { status: 200, headers: FILE_HEADERS, raw: { contentType: type, data } }, req.method === 'HEAD');
    }
    if (req.method !== 'PUT' && req.method !== 'POST') throw methodNotAllowed('Upload the image with PUT.', 'PUT, POST');
    if (upload.usedAt) throw errors.invalidState('This upload URL was already used; request a new one from /upload-url.');
    if (ns.clock.now() > Date.parse(upload.expiresAt)) throw errors.invalidState('This upload URL has expired; request a new one from /upload-url.');
    const declared = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!declared.startsWith('image/') || declared === 'image/svg+xml') throw errors.code(415, 'invalid_request', UNSUPPORTED);
    const bytes = await readBody(req, MAX_IMAGE_BYTES);
    if (bytes.length === 0) throw errors.invalid(undefined, 'The uploaded image is empty.');
    // The bytes decide: an SVG or HTML file labelled image/png is refused, not served.
    const type = imageTypeOf(bytes);
    if (!type) throw errors.code(415, 'invalid_request', UNSUPPORTED);
    ns.db.uploads.set(upload.token, { ...upload, usedAt: ns.nowIso(), contentType: type, _bytes: bytes.toString('base64') });
    return writeResult(res, requestId, { status: 200, body: { fileUrl: upload.fileUrl, size: bytes.length, contentType: type } });
  } catch (e) {
    req.resume();
    return writeResult(res, requestId, errorResult(e, requestId));
  }
}
