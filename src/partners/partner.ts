/** TA1 policy (X12.5 ISA14 / TA1): when an interchange acknowledgement is sent. */
export type Ta1Policy = 'never' | 'on-error' | 'always' | 'as-requested';
/** What to do with an interchange whose ISA13 was already received from the same sender. */
export type DuplicatePolicy = 'reject' | 'accept';

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

/** A trading partner, from partners/<id>.yaml, validated (src/partners/load.ts). */
export interface Partner {
  id: string;
  name: string;
  x12: { interchangeIds: X12InterchangeId[] };
  acknowledgements: {
    /** Send a 997 functional acknowledgement per inbound functional group. */
    functional: boolean;
    ta1: Ta1Policy;
  };
  duplicates: { interchange: DuplicatePolicy };
  /** Inbound document types by X12 transaction set id (e.g. "850"). */
  documents: Record<string, DocumentRoute>;
  /** File the partner was loaded from. */
  file: string;
}
