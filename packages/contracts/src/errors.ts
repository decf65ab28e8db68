/**
 * Errors with stable codes, mapped once to HTTP and tRPC codes by the web's error formatter.
 */
import type { FieldError } from './jobSpec';

export const ERROR_CODES = {
  VALIDATION: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
    this.name = 'AppError';
  }
  get httpStatus(): number {
    return ERROR_CODES[this.code];
  }
  toJSON() {
    return { code: this.code, message: this.message, fields: this.fields };
  }
}
