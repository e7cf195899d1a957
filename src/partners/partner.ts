import type { X12EnvelopeSettings } from './x12-envelope.js';
import type { SftpSettings } from './sftp-settings.js';
import type { CsvPartnerSettings, EdifactPartnerSettings } from './edifact-settings.js';

export type { ContrlPolicy, CsvPartnerSettings, EdifactInterchangeId, EdifactPartnerSettings } from './edifact-settings.js';
import type { As2Settings } from './as2-settings.js';
import type { SlaSettings } from './sla-settings.js';

/** TA1 policy (X12.5 ISA14 / TA1): when an interchange acknowledgement is sent. */
export type Ta1Policy = 'never' | 'on-error' | 'always' | 'as-requested';
/** What to do with an interchange whose ISA13 was already received from the same sender. */
export type DuplicatePolicy = 'reject' | 'flag' | 'accept';

/**
 * Duplicate detection, layer by layer, each with its policy (src/validation/duplicates.ts):
 * reject (not processed; TA1 025 for an interchange), flag (processed, with a finding that links the original),
 * accept (processed as new; the link to the original is still recorded where the store has one).
 */
export interface DuplicateSettings {
  /** The same bytes as an earlier file (SHA-256). Default reject. */
  file: DuplicatePolicy;
  /** The same ISA13 (UNB 0020) from the same sender to the same receiver within the window. Default reject. */
  interchange: DuplicatePolicy;
  /** Days an ISA13 is remembered (control numbers wrap). Default 365. */
  interchangeWindowDays: number;
  /** A GS06 repeated inside one interchange, an ST02 inside one group (X12.6 requires them unique). Default reject. */
  controlNumbers: DuplicatePolicy;
  /** The same business document again: message type + business reference (e.g. PO number) + revision. Default flag. */
  businessDocument: DuplicatePolicy;
}

/** An X12 interchange id: ISA05/ISA06 as the partner sends them (ISA07/ISA08 when we send to them). */
export interface X12InterchangeId {
  qualifier: string;
  id: string;
}

/** How one inbound document type is handled: the map that turns it into a canonical message, and where that goes. */
export interface DocumentRoute {
  map: string;
  destinations: string[];
}

/** How our files reach the partner (src/transports/outbound.ts): the outbox folder, a push to its SFTP server, or AS2. */
export interface OutboundSettings {
  channel: 'outbox' | 'sftp' | 'as2';
  /** Resend policy of a sending channel; unset fields take DEFAULT_RETRY_POLICY's values. */
  retry: { maxAttempts?: number; initialBackoffMs?: number; maxBackoffMs?: number };
}

/** A trading partner, from partners/<id>.yaml, validated (src/partners/load.ts). */
export interface Partner {
  id: string;
  name: string;
  /** X12 ids the partner sends with, and (to send it X12 documents) how we address it. */
  x12: { interchangeIds: X12InterchangeId[]; envelope?: X12EnvelopeSettings };
  acknowledgements: {
    /** Send a functional acknowledgement per inbound functional group. */
    functional: boolean;
    /** Which one: the 997, or the 999 implementation acknowledgement (005010X231A1) for partners on 005010X2xx guides. Default 997. */
    functionalType: '997' | '999';
    ta1: Ta1Policy;
  };
  duplicates: DuplicateSettings;
  /**
   * Implementation-guide checks of inbound X12 sets (src/validation/guides/): error rejects a set with findings
   * (AK5 R, not delivered), warning accepts it with the errors noted (AK5 E), ignore skips the checks.
   * Set by the loader (ignore when the file has no validation.guide; `partners add` writes warning); optional for partners built in code.
   */
  validation?: { guide: 'error' | 'warning' | 'ignore' };
  /** Inbound document types by X12 transaction set id (e.g. "850") or EDIFACT message type (e.g. "ORDERS"). */
  documents: Record<string, DocumentRoute>;
  /** UN/EDIFACT sender ids and CONTRL policy (src/partners/edifact-settings.ts); no ids when the partner sends no EDIFACT. */
  edifact: EdifactPartnerSettings;
  /** CSV files: the partner's column map and bad-row policy, when the partner sends CSV. */
  csv?: CsvPartnerSettings;
  /** Channel our acknowledgements and outbound documents leave through. Default: outbox. */
  outbound: OutboundSettings;
  /** Hosted SFTP users and limits, and the partner's own SFTP server (src/partners/sftp-settings.ts). */
  sftp?: SftpSettings;
  /** AS2 id, certificates, algorithms and MDN of the partner (src/partners/as2-settings.ts). */
  as2?: As2Settings;
  /** How long each acknowledgement may take, per document type and kind (src/partners/sla-settings.ts); absent: defaults. */
  slas?: SlaSettings;
  /** File the partner was loaded from. */
  file: string;
}
