// What a handler receives and returns. Handlers never touch the HTTP response themselves.
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { ApiKey } from './auth.js';
import type { Namespace } from '../store/namespace.js';
import type { Simulator } from '../simulator.js';

export interface RequestContext {
  sim: Simulator;
  requestId: string;
  operationId: string;
  /** The operation's path in the spec (`/customers/{id}`); '' when the request matched no route. */
  pathTemplate: string;
  method: string;
  path: string;
  params: Record<string, string>;
  query: Record<string, unknown>;
  // Validated against openapi.yaml before the handler runs; handlers narrow it per operation.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  rawBody: Buffer | undefined;
  headers: IncomingHttpHeaders;
  /** Header names and values as sent (Node joins repeated headers in `headers`). */
  rawHeaders: string[];
  /** The response, only so a fault can drop the connection; handlers never write to it. */
  res: ServerResponse;
  /** performance.now() when the request arrived (request log durations). */
  startedAt: number;
  /** When the handler's turn began (after the body was read and checked): how long the turn has run so far. */
  handlerStartedAt?: number;
  /** Present when the operation is authenticated (always, for XPay operations). */
  key: ApiKey | undefined;
  ns: Namespace | undefined;
  /** The request carried the valid admin credential (operations over all namespaces). */
  admin?: boolean;
  /** Calls `listener` if the client disconnects before the answer is written (long polls stop waiting). */
  onClientGone?: (listener: () => void) => void;
}

export interface HandlerResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Already-serialized body with its own content type (e.g. openapi.yaml). */
  raw?: { contentType: string; data: string | Buffer };
  /** A long-lived body (Server-Sent Events): given the response once the status and headers are written. */
  stream?: (res: ServerResponse) => void;
}

export type Handler = (ctx: RequestContext) => HandlerResult | Promise<HandlerResult>;

/** The namespace of an authenticated request (every XPay operation has one). */
export function nsOf(ctx: RequestContext): Namespace {
  if (!ctx.ns) throw new Error(`operation ${ctx.operationId} needs a namespace but was called without a key`);
  return ctx.ns;
}
