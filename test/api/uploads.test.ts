import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError, startTestSim, type TestSim } from '../helpers/sim.js';

let sim: TestSim;
beforeEach(async () => {
  sim = await startTestSim();
});
afterEach(() => sim.close());

// The 8-byte PNG signature followed by a few bytes: enough to round-trip.
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

function put(url: string, body: Buffer | string, contentType = 'image/png'): Promise<Response> {
  return fetch(url, { method: 'PUT', headers: { 'Content-Type': contentType }, body: typeof body === 'string' ? body : new Uint8Array(body) });
}

async function errorOf(res: Response): Promise<{ status: number; code: string; requestId: string | null; body: any }> {
  const body = await res.json();
  return { status: res.status, code: body.error.code, requestId: res.headers.get('request-id'), body };
}

describe('product image uploads', () => {
  it('hands out a one-time URL on the simulator itself that expires in an hour', async () => {
    const res = await sim.post('/upload-url');
    expect(res.status).toBe(201);
    expect(res.body.method).toBe('PUT');
    // The URL names the namespace by an opaque token (forked namespaces hand out the same upl_ ids).
    expect(res.body.uploadUrl).toMatch(new RegExp(`^${sim.url}/uploads/ns_[A-Za-z0-9_-]{22}/upl_[A-Za-z0-9]+$`));
    expect(res.body.fileUrl).toBe(res.body.uploadUrl + '/file');
    expect(res.body.expiresAt).toBe('2026-03-01T11:00:00.000Z');
  });

  it('accepts one PUT of an image, serves it at fileUrl, and lets a product use it', async () => {
    const { body: target } = await sim.post('/upload-url');
    const uploaded = await put(target.uploadUrl, PNG);
    expect(uploaded.status).toBe(200);
    expect(await uploaded.json()).toEqual({ fileUrl: target.fileUrl, size: PNG.length, contentType: 'image/png' });
    const served = await fetch(target.fileUrl);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true);
    const product = await sim.post('/products', { name: 'Pictured', image: target.fileUrl });
    expect(product.status).toBe(201);
    expect(product.body.image).toBe(target.fileUrl);
  });

  it('refuses a second PUT to the same URL', async () => {
    const { body: target } = await sim.post('/upload-url');
    expect((await put(target.uploadUrl, PNG)).status).toBe(200);
    const again = await errorOf(await put(target.uploadUrl, PNG));
    expect(again).toMatchObject({ status: 409, code: 'resource_invalid_state' });
    expect(again.requestId).toBe(again.body.request_id);
  });

  it('refuses anything but an image with 415', async () => {
    const { body: target } = await sim.post('/upload-url');
    expect(await errorOf(await put(target.uploadUrl, '{"a":1}', 'application/json'))).toMatchObject({ status: 415, code: 'invalid_request' });
    expect((await put(target.uploadUrl, PNG)).status).toBe(200); // the refused attempt did not use the URL up
  });

  it('accepts PNG, JPEG, WebP and GIF by their bytes, and serves them with the type the bytes show', async () => {
    const samples: Array<[string, Buffer, string]> = [
      ['image/jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]), 'image/jpeg'],
      ['image/gif', Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'), 'image/gif'],
      ['image/webp', Buffer.concat([Buffer.from('RIFF'), Buffer.from([4, 0, 0, 0]), Buffer.from('WEBPVP8 ')]), 'image/webp'],
      // The declared type does not matter, the bytes do: a PNG sent as image/jpeg is served as PNG.
      ['image/jpeg', PNG, 'image/png'],
    ];
    for (const [declared, bytes, served] of samples) {
      const { body: target } = await sim.post('/upload-url');
      const res = await put(target.uploadUrl, bytes, declared);
      expect(res.status).toBe(200);
      expect((await res.json()).contentType).toBe(served);
      const file = await fetch(target.fileUrl);
      expect(file.headers.get('content-type')).toBe(served);
      expect(file.headers.get('x-content-type-options')).toBe('nosniff');
      expect(file.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(file.headers.get('content-security-policy')).toContain('sandbox');
    }
  });

  it('refuses SVG (with a script), HTML labelled as an image, and unknown bytes with 415; the URL stays unused', async () => {
    const { body: target } = await sim.post('/upload-url');
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>';
    for (const [body, type] of [[svg, 'image/svg+xml'], [svg, 'image/png'], ['<html><script>alert(1)</script></html>', 'image/gif'], ['just text', 'image/webp']] as const) {
      const refused = await errorOf(await put(target.uploadUrl, body, type));
      expect(refused).toMatchObject({ status: 415, code: 'invalid_request' });
      expect(refused.body.error.message).toContain('PNG, JPEG, WebP or GIF');
    }
    expect((await fetch(target.fileUrl)).status).toBe(404);
    expect((await put(target.uploadUrl, PNG)).status).toBe(200);
  });

  it('refuses an image over 5 MiB with 413 and leaves the URL usable', async () => {
    const { body: target } = await sim.post('/upload-url');
    expect(await errorOf(await put(target.uploadUrl, Buffer.alloc(5 * 1024 * 1024 + 1)))).toMatchObject({ status: 413, code: 'invalid_request' });
    expect((await put(target.uploadUrl, PNG)).status).toBe(200);
  });

  it('refuses an empty upload and an expired URL', async () => {
    const { body: target } = await sim.post('/upload-url');
    expect(await errorOf(await put(target.uploadUrl, Buffer.alloc(0)))).toMatchObject({ status: 400, code: 'parameter_invalid' });
    sim.sim.namespaces.get('sk_test_xpaysim_tests')!.clock.advance(60 * 60 * 1000 + 1);
    expect(await errorOf(await put(target.uploadUrl, PNG))).toMatchObject({ status: 409, code: 'resource_invalid_state' });
  });

  it('refuses a product image that points at one of our upload URLs before anything was uploaded', async () => {
    const { body: target } = await sim.post('/upload-url');
    expectError(await sim.post('/products', { name: 'Too early', image: target.fileUrl }), 400, 'parameter_invalid', 'image');
    expectError(await sim.patch('/products/prod_nile_tshirt', { image: target.fileUrl }), 400, 'parameter_invalid', 'image');
    expect(await errorOf(await fetch(target.fileUrl))).toMatchObject({ status: 404, code: 'resource_missing' });
  });

  it('answers unknown upload URLs and wrong methods in the error envelope', async () => {
    expect(await errorOf(await put(`${sim.url}/uploads/upl_unknown`, PNG))).toMatchObject({ status: 404, code: 'resource_missing' });
    const { body: target } = await sim.post('/upload-url');
    const wrong = await fetch(target.uploadUrl, { method: 'DELETE' });
    expect(wrong.headers.get('allow')).toBe('PUT, POST');
    expect(await errorOf(wrong)).toMatchObject({ status: 405 });
    expect(await errorOf(await fetch(target.fileUrl, { method: 'PUT', body: new Uint8Array(PNG), headers: { 'Content-Type': 'image/png' } }))).toMatchObject({ status: 405 });
  });
});
