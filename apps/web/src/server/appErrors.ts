/**
 * The one place that turns any thrown error into an AppError with a stable code, and an
 * AppError into the HTTP status and tRPC code it answers with.
 */
import { AppError, describeFieldErrors, type ErrorCode, fieldErrors } from '@farmhand/contracts';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';
import { ZodError } from 'zod';

export const TRPC_CODES: Record<ErrorCode, TRPC_ERROR_CODE_KEY> = {
  VALIDATION: 'BAD_REQUEST',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
};

/** Any error as an AppError; unknown errors become INTERNAL with their message (and are logged). */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof ZodError) {
    const fields = fieldErrors(error);
    return new AppError('VALIDATION', fields.length ? describeFieldErrors(fields) : 'The input is not valid', fields);
  }
  if (error instanceof SyntaxError) return new AppError('VALIDATION', `The request body is not valid JSON: ${error.message}`);
  console.error('[web] unexpected error', error);
  const message = error instanceof Error ? error.message : String(error);
  return new AppError('INTERNAL', `Something went wrong inside Farmhand's web server: ${message}`);
}

/** The JSON body every REST error answers with. */
export function errorBody(error: AppError) {
  return { error: error.toJSON() };
}

export function errorResponse(error: unknown): Response {
  const appError = toAppError(error);
  return Response.json(errorBody(appError), { status: appError.httpStatus });
}
