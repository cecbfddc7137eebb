// XPay error envelope: one error class every layer throws, rendered by src/http/respond.ts.
export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'rate_limit_error'
  | 'api_error'
  | 'card_error'
  | 'idempotency_error';

export const DOC_URL_BASE = 'https://docs.xpay.app/integrate/errors/api-error-codes#';

export class XPayError extends Error {
  constructor(
    readonly status: number,
    readonly type: ErrorType,
    readonly code: string,
    message: string,
    readonly param?: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  toBody(requestId: string): Record<string, unknown> {
    const error: Record<string, unknown> = { type: this.type, code: this.code, message: this.message };
    if (this.param !== undefined) error.param = this.param;
    error.doc_url = DOC_URL_BASE + this.code;
    return { error, request_id: requestId };
  }
}

const invalid = (status: number, code: string, message: string, param?: string) =>
  new XPayError(status, 'invalid_request_error', code, message, param);

export const errors = {
  missing: (param: string) => invalid(400, 'parameter_missing', `Missing required parameter: ${param}`, param),
  unknown: (param: string) => invalid(400, 'parameter_unknown', `Received unknown parameter: ${param}`, param),
  invalid: (param: string | undefined, message: string) => invalid(400, 'parameter_invalid', message, param),
  outOfRange: (param: string, message: string) => invalid(400, 'parameter_out_of_range', message, param),
  exclusive: (param: string, message: string) => invalid(400, 'parameters_exclusive', message, param),
  requiresAnother: (param: string, message: string) => invalid(400, 'parameter_requires_another', message, param),
  notFound: (object: string, id: string, param?: string) => invalid(404, 'resource_missing', `No such ${object}: ${id}`, param),
  invalidState: (message: string, param?: string, status = 409) => invalid(status, 'resource_invalid_state', message, param),
  code: (status: number, code: string, message: string, param?: string) => invalid(status, code, message, param),
  auth: (message: string) => new XPayError(401, 'authentication_error', 'authentication_required', message),
  permission: (message: string) => invalid(403, 'permission_denied', message),
  internal: (message = 'An unexpected error occurred in the simulator.') =>
    new XPayError(500, 'api_error', 'internal_error', message),
};
