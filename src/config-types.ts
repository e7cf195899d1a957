import type { RetryPolicy } from './queue/retry-policy.js';
import type { LedgerConfig } from './acks/ledger-config.js';

/** An ERP/WMS API reached over HTTP: POST of the canonical message to `url` (DESIGN.md "HTTP delivery"). */
export interface HttpDestinationConfig {
  name: string;
  kind: 'http';
  /** Absolute URL the canonical message is POSTed to. */
  url: string;
  /** Whole-request timeout in milliseconds. Default 30000. */
  timeoutMs: number;
  /** Extra static headers sent with every request. */
  headers: Record<string, string>;
  retry: RetryPolicy;
  /** Deliveries in flight at once to this destination. Default 4. */
  concurrency: number;
  /** Path per canonical message type, resolved against `url` (the base URL); `*` for any other type. Empty: POST to `url`. */
  paths?: Record<string, string>;
  /** How the gateway authenticates to the API (src/delivery/auth.ts). Absent: no Authorization header. */
  auth?: DestinationAuth | null;
  /** TLS settings for https URLs (custom CA, client certificate). */
  tls?: DestinationTls | null;
  /** Interval between polls of a 202's Location, in ms. Default 10000. */
  statusPollMs?: number;
  /** Rate limit, circuit breaker and lanes (src/delivery/destinations.ts). */
  limits?: DestinationLimits;
}

/** Authentication of an HTTP destination. Secrets come from edigate.yaml or environment variables, never shown. */
export type DestinationAuth =
  | { type: 'bearer'; token: string }
  | { type: 'basic'; username: string; password: string }
  | {
      /** OAuth 2.0 client credentials grant (RFC 6749 §4.4), token cached until it expires, renewed on a 401. */
      type: 'oauth2';
      tokenUrl: string;
      clientId: string;
      clientSecret: string;
      scope?: string;
      audience?: string;
      /** client_secret_basic (RFC 6749 §2.3.1, default) or client_secret_post. */
      clientAuth: 'basic' | 'post';
    };

/** TLS of an HTTP destination: PEM contents read at start from the configured files. */
export interface DestinationTls {
  /** Extra trusted CA certificates (PEM), from `tls.ca`. */
  ca?: string;
  /** Client certificate chain (PEM), from `tls.cert`. */
  cert?: string;
  /** Client private key (PEM), from `tls.key`. */
  key?: string;
  passphrase?: string;
  /** Default true. */
  rejectUnauthorized: boolean;
  servername?: string;
  /** The configured file names, for display. */
  files: { ca?: string; cert?: string; key?: string };
}

/** Per-destination flow limits: requests per second, circuit breaker, priority lanes. */
export interface DestinationLimits {
  /** Most requests started per second (fractions allowed); null: no limit. */
  rateLimit: number | null;
  circuitBreaker: {
    /** Consecutive failed attempts that open the circuit; 0 turns the breaker off. Default 10. */
    failureThreshold: number;
    /** How long the circuit stays open before one probe is let through, in ms. Default 30000. */
    cooldownMs: number;
  };
  /** Message types in the high and the low lane (src/queue/lanes.ts). */
  lanes: { high: string[]; low: string[] };
}

/** A folder that receives one canonical JSON file per message, written atomically (temp then rename). */
export interface DirectoryDestinationConfig {
  name: string;
  kind: 'directory';
  /** Absolute path of the folder. */
  directory: string;
  retry: RetryPolicy;
  concurrency: number;
  /** Rate limit, circuit breaker and lanes (src/delivery/destinations.ts). */
  limits?: DestinationLimits;
}

export type DestinationConfig = HttpDestinationConfig | DirectoryDestinationConfig;

/** The validated, frozen gateway configuration (src/config.ts loadConfig). All paths are absolute. */
export interface GatewayConfig {
  home: string;
  dataDir: string;
  dbPath: string;
  archiveDir: string;
  inboxDir: string;
  outboxDir: string;
  partnersDir: string;
  /** Map folders searched in order: the home's own maps/ first, then the maps shipped with the product. */
  mapsDirs: string[];
  ops: { host: string; port: number };
  partnerPort: number;
  sftpPort: number;
  /**
   * Our AS2 identity (edigate.yaml `as2`): AS2 id, private key and certificate files (default data/as2/key.pem and
   * data/as2/cert.pem), and the URL partners POST asynchronous MDNs to (default: the partner port's /as2).
   * null when AS2 is not set up (`edigate as2 init`); the partner port then does not listen.
   */
  as2: { id: string; keyFile: string; certFile: string; asyncMdnUrl: string | null } | null;
  redisUrl: string | null;
  destinations: Record<string, DestinationConfig>;
  intake: {
    /** A dropped file is taken once its size and mtime have not changed for this long, in ms. Default 500. */
    settleMs: number;
    /** Longest segment accepted before it is reported as missing its terminator, in bytes. Default 1 MiB. */
    maxSegmentLength: number;
  };
  mapping: {
    /** Worker threads running the maps (JSONata); 0 runs them on the main thread. Default: one per core. */
    workers: number;
  };
  workers: {
    /** Poll interval of the delivery workers when the queue is empty, in ms. Default 200. */
    pollMs: number;
    /** Lease of a claimed delivery, in ms; an expired lease returns the delivery to the queue. Default 60000. */
    leaseMs: number;
  };
  logLevel: string;
  /** Acknowledgement ledger: overdue check interval, default SLAs, alert webhook (src/acks/ledger-config.ts). Absent: defaults. */
  ledger?: LedgerConfig;
}
