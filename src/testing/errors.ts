// The error the test client throws for a non-2xx answer: XPay's envelope, readable in a test failure.

export interface XPayErrorBody {
  type?: string;
  code?: string;
  message?: string;
  param?: string | null;
  doc_url?: string;
  [field: string]: unknown;
}

export class XPayApiError extends Error {
  readonly status: number;
  readonly type: string | undefined;
  readonly code: string | undefined;
  readonly param: string | null | undefined;
  readonly requestId: string | undefined;
  /** The whole answer as parsed (the envelope, or text when it was not JSON). */
  readonly body: unknown;

  constructor(method: string, path: string, status: number, body: unknown) {
    const envelope = (body && typeof body === 'object' ? body : {}) as { error?: XPayErrorBody; request_id?: string };
    const error = envelope.error ?? {};
    const what = error.code ? `${error.type ?? 'error'}/${error.code}${error.param ? ` (param ${error.param})` : ''}: ${error.message ?? ''}` : String(body).slice(0, 300);
    super(`${method} ${path} answered ${status} ${what}`);
    this.name = 'XPayApiError';
    this.status = status;
    this.type = error.type;
    this.code = error.code;
    this.param = error.param;
    this.requestId = envelope.request_id;
    this.body = body;
  }
}
