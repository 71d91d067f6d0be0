import type { ErrorRequestHandler } from 'express';
import type { Refusal } from '@couponflow/coupons';
import { QueueUnavailableError } from '@couponflow/flow-runtime';
import { isRefusedValue } from '@couponflow/db';
import { jsonTooDeep, maxJsonDepth } from './jsonBody';

export interface ErrorDetail {
  path: string;
  message: string;
}

/** SPEC §5 error model: `{"error":{"code","message","details"}}` with the status that fits. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const statusByReason: Record<string, number> = {
  validation_failed: 422,
  ends_at_shortened: 422,
  code_immutable: 422,
  invalid_time_zone: 422,
  coupon_not_found: 404,
  not_found: 404,
  file_too_large: 413,
};

/**
 * An engine refusal as the API answers it: 404 not found, 422 invalid, 413 too large, else 409 with
 * the reason (every rule refusal: the §2.4 reasons, customer_not_eligible, the issuing limits, the
 * timing reasons, external_id_taken, pool_busy, not_redeemed …).
 */
export function refusalError(refusal: Refusal<string>): ApiError {
  const status = statusByReason[refusal.reason] ?? 409;
  const code = refusal.reason === 'coupon_not_found' ? 'not_found' : refusal.reason;
  return new ApiError(status, code, refusal.message, refusal.details ?? []);
}

/** Unwraps an engine Result or throws its refusal as an API error. */
export function unwrap<T>(result: { ok: true; value: T } | Refusal<string>): T {
  if (!result.ok) throw refusalError(result);
  return result.value;
}

interface BodyParserError {
  type?: string;
  status?: number;
}

/** Last middleware: every error leaves as the error model; bad input never becomes a 5xx. */
export const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  const apiError = apiErrorOf(error, req.log);
  if (res.headersSent) return void res.end();
  res.set(apiError.headers).status(apiError.status).json({
    error: { code: apiError.code, message: apiError.message, details: apiError.details },
  });
};

/** The error model's answer to any error (what the error handler sends); the unexpected is logged to `log`. */
export function apiErrorOf(error: unknown, log?: { warn(value: object, message: string): void; error(value: object, message: string): void }): ApiError {
  const parser = error as BodyParserError;
  if (error instanceof ApiError) return error;
  if (error instanceof QueueUnavailableError)
    // The platform (or browser) tries again; nothing was accepted, so nothing is lost.
    return new ApiError(503, 'queue_unavailable', 'Temporarily unable to accept this; try again shortly', [], { 'Retry-After': '5' });
  if (parser.type === 'entity.parse.failed') return new ApiError(400, 'malformed_json', 'The body is not valid JSON');
  if (parser.type === jsonTooDeep) return new ApiError(400, 'json_too_deep', `The JSON body is nested deeper than ${maxJsonDepth} levels`);
  if (parser.type === 'entity.too.large') return new ApiError(413, 'payload_too_large', 'The body is too large');
  if (parser.type === 'encoding.unsupported' || parser.type === 'charset.unsupported') return new ApiError(415, 'unsupported_media_type', 'Unsupported body encoding');
  if (parser.status && parser.status >= 400 && parser.status < 500) return new ApiError(parser.status, 'bad_request', 'The request could not be read');
  if (isRefusedValue(error)) {
    // PostgreSQL refuses some values SQLite keeps (a NUL character, a number past the column's range).
    log?.warn({ err: error }, 'the database refused a value of the request');
    return new ApiError(422, 'validation_failed', 'A value of the request cannot be stored (a NUL character, or a number or date out of range)');
  }
  log?.error({ err: error }, 'unexpected error');
  return new ApiError(500, 'internal_error', 'Something went wrong on our side');
}
