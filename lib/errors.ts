// HearthError: the one error type every layer throws. Its `code` is stable (clients and tests
// match on it), its message says what was wrong with which input, and its hint says what to do.
// The dispatcher is the only place that turns it into an MCP tool error.

export const ERROR_CODES = [
  'INVALID_ARGUMENT', // an argument failed validation; message names the field
  'NOT_FOUND', // a named thing (document, session, approval) does not exist
  'ALREADY_EXISTS',
  'OUT_OF_ROOTS', // a path is outside the allowed file roots
  'ORIGIN_NOT_ALLOWED', // a web origin or outbound host is not on the allowlist
  'TOOL_NOT_ALLOWED', // the policy does not allow this tool
  'APPROVAL_REQUIRED', // the call waits for a person's approval
  'APPROVAL_DENIED', // a person declined the call
  'RATE_LIMITED',
  'LIMIT_EXCEEDED', // a resource cap (time, memory, size, budget) was hit
  'TIMEOUT',
  'CANCELLED',
  'CONFLICT', // concurrent modification, stale reference
  'UNSUPPORTED', // a format or feature that is not supported
  'UNAVAILABLE', // a dependency (browser, model, provider) is not available
  'CONFIG_INVALID',
  'POLICY_INVALID',
  'INTERNAL', // a bug: the message never carries a stack trace
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorDetails {
  /** Extra machine-readable fields merged into `structuredContent.error`. */
  [key: string]: unknown;
}

export class HearthError extends Error {
  override readonly name = 'HearthError';
  readonly code: ErrorCode;
  readonly hint: string;
  readonly details: ErrorDetails | undefined;

  constructor(code: ErrorCode, message: string, hint: string, options?: { cause?: unknown; details?: ErrorDetails }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = hint;
    this.details = options?.details;
  }

  toJSON(): { code: ErrorCode; message: string; hint: string } & ErrorDetails {
    return { ...(this.details ?? {}), code: this.code, message: this.message, hint: this.hint };
  }
}

export function isHearthError(value: unknown): value is HearthError {
  return value instanceof HearthError;
}

/** Shorthand for the most common error: a bad argument, naming the field. */
export function invalidArgument(field: string, problem: string, hint: string): HearthError {
  return new HearthError('INVALID_ARGUMENT', `${field}: ${problem}`, hint, { details: { field } });
}

/** A short, stack-free description of an unknown thrown value, for logs and wrapping. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
  return String(error);
}
