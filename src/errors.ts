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
  EDIGATE_DESTINATION_NO_PATH: { message: 'Destination has no path for this message type', retryable: false },
  EDIGATE_DELIVERY_AUTH: { message: 'Destination credentials could not be obtained', retryable: true },
  EDIGATE_DELIVERY_ASYNC_FAILED: { message: 'Destination reported an accepted message as failed', retryable: false },
  EDIGATE_QUEUE_UNAVAILABLE: { message: 'Delivery queue backend is unavailable', retryable: true },
  EDIGATE_NOT_FOUND: { message: 'Not found', retryable: false },
  EDIGATE_INVALID_REQUEST: { message: 'Invalid request', retryable: false },
  EDIGATE_IDEMPOTENCY_CONFLICT: { message: 'Idempotency key already used with another request', retryable: false },
  EDIGATE_OUTBOUND_UNSUPPORTED: { message: 'Cannot send this document to this partner', retryable: false },
  EDIGATE_AS_IDENTITY_INVALID: { message: 'Our AS2 identity (key and certificate) cannot be used', retryable: false },
  EDIGATE_AS_PARTNER_NOT_CONFIGURED: { message: 'Partner is not set up for AS2', retryable: false },
  EDIGATE_AS_SEND_FAILED: { message: 'AS2 message could not be delivered to the partner', retryable: true },
  EDIGATE_AS_MDN_MISSING: { message: 'AS2 partner returned no MDN', retryable: true },
  EDIGATE_AS_MDN_INVALID: { message: 'AS2 MDN does not prove delivery', retryable: false },
  EDIGATE_AS_MDN_NEGATIVE: { message: 'AS2 partner returned a negative MDN', retryable: false },
  EDIGATE_AS_MDN_OVERDUE: { message: 'AS2 asynchronous MDN did not arrive in time', retryable: true },
  EDIGATE_SFTP_HOST_KEY: { message: 'SFTP host key cannot be read or created', retryable: false },
  EDIGATE_SFTP_USER_INVALID: { message: 'SFTP user is invalid', retryable: false },
  EDIGATE_SFTP_REMOTE_HOST_KEY_MISMATCH: { message: "Partner's SFTP server presented an unexpected host key", retryable: false },
  EDIGATE_SFTP_REMOTE_CREDENTIALS: { message: "Credentials for the partner's SFTP server are missing or refused", retryable: false },
  EDIGATE_SFTP_REMOTE_UNREACHABLE: { message: "Partner's SFTP server cannot be reached", retryable: true },
  EDIGATE_SFTP_REMOTE_FAILED: { message: "Operation on the partner's SFTP server failed", retryable: true },
  EDIGATE_SFTP_REMOTE_EXISTS: { message: "A different file of that name is already on the partner's SFTP server", retryable: false },
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
