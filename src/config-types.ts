import type { RetryPolicy } from './queue/retry-policy.js';

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
}

/** A folder that receives one canonical JSON file per message, written atomically (temp then rename). */
export interface DirectoryDestinationConfig {
  name: string;
  kind: 'directory';
  /** Absolute path of the folder. */
  directory: string;
  retry: RetryPolicy;
  concurrency: number;
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
}
