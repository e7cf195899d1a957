/**
 * Builders of outbound X12 transaction sets from canonical messages: one per canonical message type we send
 * (order_ack -> 855, shipment -> 856, invoice -> 810, warehouse_order -> 940, inbound_advice -> 943,
 * load_tender -> 204). A builder returns the segments between ST and SE; src/outbound/generate.ts adds the
 * envelope (ISA/GS/ST ... SE/GE/IEA), the control numbers and the delimiters from the partner's settings.
 */
import type { X12OutSegment } from '../formats/x12/writer.js';

/** What a builder may need beyond the payload. */
export interface X12BuildContext {
  /** GS08 the document is written for, e.g. 004010 or 005010 (element lengths and codes differ). */
  groupVersion: string;
  /** Component and repetition separators, for composites (e.g. a C040 reference in 005010). */
  component: string;
  repetition: string;
  /** Time of generation (UTC), for dates the payload leaves out. */
  now: Date;
}

/** Turns one canonical payload into the body of an X12 transaction set. */
export interface OutboundX12Builder {
  /** Canonical message type it takes, e.g. "shipment". */
  messageType: string;
  /** ST01, e.g. "856". */
  setId: string;
  /** GS01 of the functional group, e.g. "SH" (X12 479 functional identifier codes). */
  functionalId: string;
  /**
   * Segments between ST and SE, in order. Values are plain text (no delimiters: the generator rejects a value
   * holding one). Throws GatewayError EDIGATE_INVALID_REQUEST when the payload lacks what the set requires.
   */
  build(payload: Record<string, unknown>, ctx: X12BuildContext): X12OutSegment[];
  /** The business key shown in the ops API and used to find the document (e.g. the shipment id). */
  businessReference(payload: Record<string, unknown>): string | null;
}

const builders = new Map<string, OutboundX12Builder>();

/** Registers a builder (at module load of src/outbound/x12/*.ts). Throws when its message type is taken. */
export function registerX12Builder(b: OutboundX12Builder): void {
  if (builders.has(b.messageType)) throw new Error(`an outbound X12 builder for ${b.messageType} is already registered`);
  builders.set(b.messageType, b);
}

/** The builder for a canonical message type, if we can send that type as X12. */
export function x12BuilderFor(messageType: string): OutboundX12Builder | undefined {
  return builders.get(messageType);
}

/** Message types we can send as X12, with their sets. */
export function x12OutboundTypes(): Array<{ messageType: string; setId: string }> {
  return [...builders.values()].map((b) => ({ messageType: b.messageType, setId: b.setId }));
}
