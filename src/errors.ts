/**
 * GatewayError and the catalogue of stable error codes.
 *
 * Errors are for the gateway failing (bad configuration, an unreachable destination, a full disk);
 * a partner's bad data is a Finding (src/validation/finding.ts), never an exception.
 * Every code is named by area, has a fixed message prefix and says whether a retry can help.
 * test/errors.test.ts checks the catalogue is complete and codes are unique.
 */
export interface ErrorSpec {
  /** Message template; `{0}` style placeholders are not used: callers append details. */
  message: string;
  /** True when the same operation may succeed later (network, lock, 5xx). */
  retryable: boolean;
}

export const ERROR_CODES = {
  EDIGATE_CONFIG_INVALID: { message: 'Configuration is invalid', retryable: false },
  EDIGATE_PARTNER_INVALID: { message: 'Partner file is invalid', retryable: false },
  EDIGATE_PARTNER_EXISTS: { message: 'Partner already exists', retryable: false },
  EDIGATE_PARTNER_UNKNOWN: { message: 'Unknown trading partner', retryable: false },
  EDIGATE_MAP_INVALID: { message: 'Map is invalid', retryable: false },
  EDIGATE_MAP_NOT_FOUND: { message: 'Map not found', retryable: false },
  EDIGATE_MAP_FAILED: { message: 'Map evaluation failed', retryable: false },
  EDIGATE_CANONICAL_INVALID: { message: 'Canonical message does not match its schema', retryable: false },
  EDIGATE_FILE_UNREADABLE: { message: 'File cannot be read', retryable: false },
  EDIGATE_FILE_CHANGING: { message: 'File is still being written', retryable: true },
  EDIGATE_STOPPING: { message: 'The gateway is stopping', retryable: true },
  EDIGATE_ARCHIVE_FAILED: { message: 'Raw file could not be archived', retryable: true },
  EDIGATE_STORE_FAILED: { message: 'Store operation failed', retryable: true },
  EDIGATE_DELIVERY_HTTP_STATUS: { message: 'Destination answered with an error status', retryable: false },
  EDIGATE_DELIVERY_HTTP_RETRYABLE: { message: 'Destination answered with a retryable status', retryable: true },
  EDIGATE_DELIVERY_NETWORK: { message: 'Destination could not be reached', retryable: true },
  EDIGATE_DELIVERY_TIMEOUT: { message: 'Destination did not answer in time', retryable: true },
  EDIGATE_DELIVERY_DIRECTORY: { message: 'Destination directory write failed', retryable: true },
  EDIGATE_DELIVERY_REQUEST_INVALID: { message: 'Delivery request cannot be built', retryable: false },
  EDIGATE_DESTINATION_UNKNOWN: { message: 'Unknown destination', retryable: false },
  EDIGATE_NOT_FOUND: { message: 'Not found', retryable: false },
  EDIGATE_INVALID_REQUEST: { message: 'Invalid request', retryable: false },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An error raised by the gateway itself, with a stable `code` callers match on. */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  /** Optional structured details (e.g. the list of config problems, an HTTP status). */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, detail?: string, options?: { cause?: unknown; details?: Record<string, unknown>; retryable?: boolean }) {
    const spec = ERROR_CODES[code];
    super(detail ? `${spec.message}: ${detail}` : spec.message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'GatewayError';
    this.code = code;
    this.retryable = options?.retryable ?? spec.retryable;
    this.details = options?.details;
  }
}

/** True when `err` is a GatewayError with the given code. */
export function isGatewayError(err: unknown, code?: ErrorCode): err is GatewayError {
  return err instanceof GatewayError && (code === undefined || err.code === code);
}
