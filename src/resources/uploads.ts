// /upload-url: one-time URLs on the simulator itself that accept a product image (PUT),
// and serve it afterwards at the returned fileUrl.
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

export const createUploadUrl: Handler = (ctx) => {
  const ns = nsOf(ctx);
  const token = 'upl_' + ns.random.base62(24);
  const base = `${ctx.sim.publicUrl}/uploads/${token}`;
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
export function checkImageUrl(ns: Namespace, value: string | null | undefined): string | null {
  if (value === undefined || value === null || value === '') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw errors.invalid('image', 'image must be an absolute http(s) URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw errors.invalid('image', 'image must be an absolute http(s) URL.');
  const own = /^\/uploads\/(upl_[A-Za-z0-9]+)\/file$/.exec(url.pathname);
  if (own && url.origin === new URL(ns.publicUrl).origin) {
    const upload = ns.db.uploads.get(own[1]!);
    if (!upload?.usedAt) throw errors.invalid('image', 'Nothing was uploaded to this URL yet; PUT the image to uploadUrl first.');
  }
  return value;
}

function findUpload(sim: Simulator, token: string): { ns: Namespace; upload: UploadRecord } | undefined {
  for (const ns of sim.namespaces.values()) {
    const upload = ns.db.uploads.get(token);
    if (upload) return { ns, upload };
  }
  const revived = sim.reviveHolding(token);
  const upload = revived?.db.uploads.get(token);
  return revived && upload ? { ns: revived, upload } : undefined;
}

function methodNotAllowed(message: string, allow: string): XPayError {
  return new XPayError(405, 'invalid_request_error', 'invalid_request', message, undefined, { Allow: allow });
}

/** PUT /uploads/{token} (the image bytes) and GET /uploads/{token}/file. */
export async function handleUploadPage(sim: Simulator, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
  const requestId = sim.nextRequestId();
  const m = /^\/uploads\/(upl_[A-Za-z0-9]+)(\/file)?$/.exec(pathname);
  const found = m ? findUpload(sim, m[1]!) : undefined;
  try {
    if (!m || !found) throw errors.code(404, 'resource_missing', 'No such upload URL.');
    const { ns, upload } = found;
    if (m[2]) {
      if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed('Use GET on a file URL.', 'GET, HEAD');
      if (!upload._bytes) throw errors.code(404, 'resource_missing', 'Nothing was uploaded to this URL yet.');
      const data = Buffer.from(upload._bytes, 'base64');
      return writeResult(res, requestId, { status: 200, raw: { contentType: upload.contentType ?? 'application/octet-stream', data } }, req.method === 'HEAD');
    }
    if (req.method !== 'PUT' && req.method !== 'POST') throw methodNotAllowed('Upload the image with PUT.', 'PUT, POST');
    if (upload.usedAt) throw errors.invalidState('This upload URL was already used; request a new one from /upload-url.');
    if (ns.clock.now() > Date.parse(upload.expiresAt)) throw errors.invalidState('This upload URL has expired; request a new one from /upload-url.');
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!type.startsWith('image/')) throw errors.code(415, 'invalid_request', 'Upload an image (Content-Type image/png, image/jpeg, image/webp, …).');
    const bytes = await readBody(req, MAX_IMAGE_BYTES);
    if (bytes.length === 0) throw errors.invalid(undefined, 'The uploaded image is empty.');
    ns.db.uploads.set(upload.token, { ...upload, usedAt: ns.nowIso(), contentType: type, _bytes: bytes.toString('base64') });
    return writeResult(res, requestId, { status: 200, body: { fileUrl: upload.fileUrl, size: bytes.length, contentType: type } });
  } catch (e) {
    req.resume();
    return writeResult(res, requestId, errorResult(e, requestId));
  }
}
