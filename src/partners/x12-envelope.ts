/**
 * The `x12.envelope` block of a partner file: how we address the partner when we SEND it X12 documents
 * (855, 856, 810, 940, 943, 204 generated from canonical messages; src/outbound/). Acknowledgements do not use it:
 * they mirror the inbound envelope.
 *
 * ```yaml
 * x12:
 *   interchangeIds: [{ qualifier: "12", id: "4405197800" }]
 *   envelope:
 *     sender: { qualifier: ZZ, id: EDIGATE }          # our ISA05/ISA06 (required to send)
 *     receiver: { qualifier: "12", id: "4405197800" } # ISA07/ISA08; default: the first interchange id
 *     applicationSender: EDIGATE                       # GS02; default: sender id
 *     applicationReceiver: "4405197800"                # GS03; default: receiver id
 *     version: "00401"                                 # ISA12 (00401 = 004010 groups, 00501 = 005010)
 *     groupVersion: "004010"                           # GS08; default from ISA12 (00401 -> 004010)
 *     usage: P                                         # ISA15: P production, T test
 *     ackRequested: false                              # ISA14 (ask for a TA1)
 *     delimiters: { element: "*", component: ">", segment: "~", repetition: "^" }
 * ```
 */
import type { X12InterchangeId } from './partner.js';

/** Resolved envelope settings (every default filled). */
export interface X12EnvelopeSettings {
  sender: X12InterchangeId;
  receiver: X12InterchangeId;
  applicationSender: string;
  applicationReceiver: string;
  /** ISA12, 5 digits. */
  version: string;
  /** GS08, e.g. 004010 or 005010. */
  groupVersion: string;
  usage: 'P' | 'T';
  ackRequested: boolean;
  delimiters: { element: string; component: string; segment: string; repetition: string };
}

const idSchema = {
  type: 'object', required: ['qualifier', 'id'], additionalProperties: false,
  properties: { qualifier: { type: 'string', pattern: '^[A-Za-z0-9]{2}$' }, id: { type: 'string', minLength: 1, maxLength: 15 } },
} as const;
const delimiter = { type: 'string', minLength: 1, maxLength: 1 } as const;

/** JSON Schema of `x12.envelope` (used inside the partner file schema, src/partners/load.ts). */
export const X12_ENVELOPE_SCHEMA = {
  type: 'object', required: ['sender'], additionalProperties: false,
  properties: {
    sender: idSchema,
    receiver: idSchema,
    applicationSender: { type: 'string', minLength: 2, maxLength: 15 },
    applicationReceiver: { type: 'string', minLength: 2, maxLength: 15 },
    version: { type: 'string', pattern: '^\\d{5}$' },
    groupVersion: { type: 'string', pattern: '^\\d{6}[A-Z0-9]{0,6}$' },
    usage: { enum: ['P', 'T'] },
    ackRequested: { type: 'boolean' },
    delimiters: {
      type: 'object', additionalProperties: false,
      properties: { element: delimiter, component: delimiter, segment: delimiter, repetition: delimiter },
    },
  },
} as const;

type RawEnvelope = {
  sender: X12InterchangeId; receiver?: X12InterchangeId; applicationSender?: string; applicationReceiver?: string;
  version?: string; groupVersion?: string; usage?: 'P' | 'T'; ackRequested?: boolean;
  delimiters?: Partial<X12EnvelopeSettings['delimiters']>;
};

/**
 * Fills the defaults of an `x12.envelope` block already checked against X12_ENVELOPE_SCHEMA, and checks what the
 * schema cannot: the four delimiters differ from each other and from letters and digits (X12.5: delimiters must
 * not occur in data). Returns the settings and the problems (each naming `where`), or no settings when absent.
 */
export function normaliseEnvelope(raw: RawEnvelope | undefined, interchangeIds: X12InterchangeId[], where: string): { envelope?: X12EnvelopeSettings; problems: string[] } {
  if (!raw) return { problems: [] };
  const problems: string[] = [];
  const receiver = raw.receiver ?? interchangeIds[0];
  if (!receiver) {
    problems.push(`${where}: /x12/envelope/receiver is needed when the partner has no x12 interchangeIds`);
    return { problems };
  }
  const version = raw.version ?? '00401';
  const d = { element: '*', component: '>', segment: '~', repetition: '^', ...(raw.delimiters ?? {}) };
  const chars = [d.element, d.component, d.segment, d.repetition];
  if (new Set(chars).size !== 4) problems.push(`${where}: /x12/envelope/delimiters must be four different characters (got ${JSON.stringify(d)})`);
  if (chars.some((c) => /[A-Za-z0-9 ]/.test(c))) problems.push(`${where}: /x12/envelope/delimiters must not be letters, digits or a space`);
  return {
    problems,
    envelope: {
      sender: { qualifier: raw.sender.qualifier, id: raw.sender.id.trim() },
      receiver: { qualifier: receiver.qualifier, id: receiver.id.trim() },
      applicationSender: raw.applicationSender ?? raw.sender.id.trim(),
      applicationReceiver: raw.applicationReceiver ?? receiver.id.trim(),
      version,
      groupVersion: raw.groupVersion ?? `${version}0`,
      usage: raw.usage ?? 'P',
      ackRequested: raw.ackRequested ?? false,
      delimiters: d,
    },
  };
}
