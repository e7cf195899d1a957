/**
 * Business unit identifiers of transaction sets: the element that names the unit of work a set carries
 * (the purchase order number of an 850, the claim id of an 837). A 999 names the business unit an error
 * sits in with a CTX segment (005010X231A1 CTX "Business Unit Identifier": required when the error is
 * within a business unit and its identifier is known; truncated to 35 characters; X12 RFI 1312, 2293).
 */
import type { X12Segment } from '../formats/x12/types.js';

/** Set id -> [segment tag, 1-based element position] of its business unit identifier. */
export const BUSINESS_UNIT_ELEMENTS: Readonly<Record<string, readonly [string, number]>> = Object.freeze({
  '850': ['BEG', 3], '855': ['BAK', 3], '860': ['BCH', 3], '865': ['BCA', 3], '856': ['BSN', 2], '810': ['BIG', 2],
  '940': ['W05', 2], '945': ['W06', 2], '943': ['W06', 2], '944': ['W17', 3], '846': ['BIA', 3], '947': ['W15', 2],
  '204': ['B2', 4], '990': ['B1', 2], '210': ['B3', 3], '214': ['B10', 1], '820': ['BPR', 2],
  '837': ['CLM', 1], '270': ['TRN', 2], '276': ['TRN', 2], '278': ['TRN', 2], '834': ['INS', 2], '835': ['TRN', 2],
});

/** One occurrence of a set's business unit identifier. */
export interface BusinessUnit {
  /** Element name as the CTX context name carries it, e.g. "BEG03", "CLM01". */
  element: string;
  value: string;
  /** 1-based position (ST = 1) of the segment holding it. */
  position: number;
}

/**
 * The business unit identifier carried by `seg`, at 1-based set position `position` (ST = 1), when `seg` is
 * the segment that holds it for transaction set `setId` and the element is not empty; else undefined.
 * The X12 reader calls it for every segment of a set, so an 837 yields one unit per CLM.
 */
export function businessUnitOfSegment(setId: string, seg: X12Segment, position: number): BusinessUnit | undefined {
  const spec = BUSINESS_UNIT_ELEMENTS[setId];
  if (!spec || seg.tag !== spec[0]) return undefined;
  const value = seg.elements[spec[1] - 1]?.trim() ?? '';
  return value ? { element: `${spec[0]}${String(spec[1]).padStart(2, '0')}`, value, position } : undefined;
}

/** The business unit an error at segment `position` sits in: the last occurrence at or before it. */
export function businessUnitAt(units: readonly BusinessUnit[], position: number): BusinessUnit | undefined {
  let found: BusinessUnit | undefined;
  for (const u of units) {
    if (u.position > position) break;
    found = u;
  }
  return found;
}
