/**
 * Implementation-guide rules per X12 transaction set, as data: the mandatory segments and loops of the
 * set's standard table (heading, detail, summary), the length, requirement and code list of the elements the
 * canonical maps (maps/x12-*) read, and the totals the standard asks the sender to carry.
 *
 * Sources: the X12 004010 transaction set tables and segment directories (segment requirement designators
 * M/O, element types and min/max lengths; unchanged in 005010 for the elements listed here) and the
 * transaction set notes on totals (850/855 CTT01 "accumulation of the number of PO1 segments", CTT02 "sum of
 * the value of quantities ordered (PO102)"; 860 the same over POC/POC03; 810 CTT01 over IT1, CTT02 over
 * IT102; 856 CTT01 "number of HL segments", CTT02 over SN102; 810 TDS01 "total amount of invoice (including
 * charges, less allowances) before terms discount"). Only segments whose requirement is M in the standard
 * are listed as mandatory; a partner's own guide may be stricter, never looser.
 */

/** A mandatory segment or loop: missing, it is reported where the standard expects it (997 AK304 3). */
export interface RequiredSegment {
  tag: string;
  /** Loop identifier (the loop's first segment) when the segment starts a mandatory loop (997 AK303). */
  loop?: string;
  /**
   * Where it is expected: `afterST` right after the ST (the beginning segment), else the segment ids that
   * follow it in the standard's order: it is reported at the first of them present (or at the SE).
   */
  before: 'afterST' | readonly string[];
}

/** X12 data element type as far as the checks need it: lengths of R and Nn count digits only (X12.6). */
export type GuideElementType = 'AN' | 'ID' | 'R' | 'N';

/** One element the maps read: requirement, length and (for ID elements) the X12 code list. */
export interface ElementRule {
  tag: string;
  /** 1-based element position in the segment (BEG02 is 2). */
  position: number;
  /** 1-based component position when the element is a composite (POC05-01). */
  component?: number;
  /** X12 data element reference number (AK402), e.g. "353". */
  ref: string;
  type: GuideElementType;
  min: number;
  max: number;
  /** Mandatory in the standard (M): reported when empty (AK403 1). */
  required?: boolean;
  /** Key of the code list in src/validation/guides/code-lists (the element reference of the list). */
  codes?: string;
}

/** A total the sender carries and the receiver can recompute. */
export type TotalRule =
  /** CTT01 equals the number of `counted` segments in the set. */
  | { kind: 'lineCount'; counted: string }
  /** CTT02, when present, equals the hash total of element `element` of every `counted` segment. */
  | { kind: 'hashTotal'; counted: string; element: number }
  /** 810 TDS01 equals the sum of IT102 x IT104 with the SAC allowances and charges (and taxes). */
  | { kind: 'invoiceTotal' };

export interface SetGuide {
  setId: string;
  name: string;
  required: readonly RequiredSegment[];
  elements: readonly ElementRule[];
  totals: readonly TotalRule[];
}

/* ---------------------------------------------------------------- elements shared by several sets */

/** N101 entity identifier code (98), N103 identification code qualifier (66), N104 identification code (67). */
const N1: readonly ElementRule[] = [
  { tag: 'N1', position: 1, ref: '98', type: 'ID', min: 2, max: 3, required: true, codes: '98' },
  { tag: 'N1', position: 3, ref: '66', type: 'ID', min: 1, max: 2, codes: '66' },
  { tag: 'N1', position: 4, ref: '67', type: 'AN', min: 2, max: 80 },
];
/** CTT01 number of line items (354, N0 1/6, M), CTT02 hash total (347, R 1/10). */
const CTT: readonly ElementRule[] = [
  { tag: 'CTT', position: 1, ref: '354', type: 'N', min: 1, max: 6, required: true },
  { tag: 'CTT', position: 2, ref: '347', type: 'R', min: 1, max: 10 },
];
/** PO1 quantity (330), unit of measure (355), unit price (212), product id qualifier (235). */
const PO1: readonly ElementRule[] = [
  { tag: 'PO1', position: 2, ref: '330', type: 'R', min: 1, max: 15 },
  { tag: 'PO1', position: 3, ref: '355', type: 'ID', min: 2, max: 2, codes: '355' },
  { tag: 'PO1', position: 4, ref: '212', type: 'R', min: 1, max: 17 },
  { tag: 'PO1', position: 6, ref: '235', type: 'ID', min: 2, max: 2, codes: '235' },
];

/** Summary segments of the 850 family, in order (a missing line loop is reported at the first present). */
const ORDER_SUMMARY = ['CTT', 'AMT', 'SE'];

/* ---------------------------------------------------------------- the sets */

export const SET_GUIDES: Readonly<Record<string, SetGuide>> = {
  '850': {
    setId: '850', name: 'Purchase Order',
    required: [{ tag: 'BEG', before: 'afterST' }, { tag: 'PO1', loop: 'PO1', before: ORDER_SUMMARY }],
    elements: [
      { tag: 'BEG', position: 1, ref: '353', type: 'ID', min: 2, max: 2, required: true, codes: '353' },
      { tag: 'BEG', position: 2, ref: '92', type: 'ID', min: 2, max: 2, required: true, codes: '92' },
      { tag: 'BEG', position: 3, ref: '324', type: 'AN', min: 1, max: 22, required: true },
      ...N1, ...PO1, ...CTT,
    ],
    totals: [{ kind: 'lineCount', counted: 'PO1' }, { kind: 'hashTotal', counted: 'PO1', element: 2 }],
  },
  '855': {
    setId: '855', name: 'Purchase Order Acknowledgment',
    required: [{ tag: 'BAK', before: 'afterST' }],
    elements: [
      { tag: 'BAK', position: 1, ref: '353', type: 'ID', min: 2, max: 2, required: true, codes: '353' },
      { tag: 'BAK', position: 2, ref: '587', type: 'ID', min: 2, max: 2, required: true, codes: '587' },
      { tag: 'BAK', position: 3, ref: '324', type: 'AN', min: 1, max: 22, required: true },
      { tag: 'ACK', position: 1, ref: '668', type: 'ID', min: 2, max: 2, required: true, codes: '668' },
      { tag: 'ACK', position: 3, ref: '355', type: 'ID', min: 2, max: 2, codes: '355' },
      ...N1, ...PO1, ...CTT,
    ],
    totals: [{ kind: 'lineCount', counted: 'PO1' }, { kind: 'hashTotal', counted: 'PO1', element: 2 }],
  },
  '860': {
    setId: '860', name: 'Purchase Order Change Request - Buyer Initiated',
    required: [{ tag: 'BCH', before: 'afterST' }],
    elements: [
      { tag: 'BCH', position: 1, ref: '353', type: 'ID', min: 2, max: 2, required: true, codes: '353' },
      { tag: 'BCH', position: 2, ref: '92', type: 'ID', min: 2, max: 2, required: true, codes: '92' },
      { tag: 'BCH', position: 3, ref: '324', type: 'AN', min: 1, max: 22, required: true },
      { tag: 'POC', position: 2, ref: '670', type: 'ID', min: 2, max: 2, required: true, codes: '670' },
      { tag: 'POC', position: 5, component: 1, ref: '355', type: 'ID', min: 2, max: 2, codes: '355' },
      ...N1, ...CTT,
    ],
    totals: [{ kind: 'lineCount', counted: 'POC' }, { kind: 'hashTotal', counted: 'POC', element: 3 }],
  },
  '856': {
    setId: '856', name: 'Ship Notice/Manifest',
    required: [{ tag: 'BSN', before: 'afterST' }, { tag: 'HL', loop: 'HL', before: ['CTT', 'SE'] }],
    elements: [
      { tag: 'BSN', position: 1, ref: '353', type: 'ID', min: 2, max: 2, required: true, codes: '353' },
      { tag: 'BSN', position: 2, ref: '396', type: 'AN', min: 2, max: 30, required: true },
      { tag: 'HL', position: 1, ref: '628', type: 'AN', min: 1, max: 12, required: true },
      { tag: 'HL', position: 2, ref: '734', type: 'AN', min: 1, max: 12 },
      { tag: 'HL', position: 3, ref: '735', type: 'ID', min: 1, max: 2, required: true, codes: '735' },
      { tag: 'SN1', position: 2, ref: '382', type: 'R', min: 1, max: 10, required: true },
      { tag: 'SN1', position: 3, ref: '355', type: 'ID', min: 2, max: 2, required: true, codes: '355' },
      ...N1, ...CTT,
    ],
    totals: [{ kind: 'lineCount', counted: 'HL' }, { kind: 'hashTotal', counted: 'SN1', element: 2 }],
  },
  '810': {
    setId: '810', name: 'Invoice',
    required: [{ tag: 'BIG', before: 'afterST' }, { tag: 'TDS', before: ['TXI', 'CAD', 'AMT', 'SAC', 'ISS', 'CTT', 'SE'] }],
    elements: [
      { tag: 'BIG', position: 2, ref: '76', type: 'AN', min: 1, max: 22, required: true },
      { tag: 'IT1', position: 2, ref: '358', type: 'R', min: 1, max: 10 },
      { tag: 'IT1', position: 3, ref: '355', type: 'ID', min: 2, max: 2, codes: '355' },
      { tag: 'IT1', position: 4, ref: '212', type: 'R', min: 1, max: 17 },
      { tag: 'IT1', position: 6, ref: '235', type: 'ID', min: 2, max: 2, codes: '235' },
      { tag: 'TDS', position: 1, ref: '610', type: 'N', min: 1, max: 15, required: true },
      ...N1, ...CTT,
    ],
    totals: [{ kind: 'lineCount', counted: 'IT1' }, { kind: 'hashTotal', counted: 'IT1', element: 2 }, { kind: 'invoiceTotal' }],
  },
  '940': {
    setId: '940', name: 'Warehouse Shipping Order',
    required: [{ tag: 'W05', before: 'afterST' }],
    elements: [
      { tag: 'W05', position: 1, ref: '473', type: 'ID', min: 1, max: 1, required: true, codes: '473' },
      { tag: 'W05', position: 2, ref: '285', type: 'AN', min: 1, max: 22, required: true },
      { tag: 'W01', position: 1, ref: '330', type: 'R', min: 1, max: 15, required: true },
      { tag: 'W01', position: 2, ref: '355', type: 'ID', min: 2, max: 2, required: true, codes: '355' },
      ...N1,
    ],
    totals: [],
  },
  '945': {
    setId: '945', name: 'Warehouse Shipping Advice',
    required: [{ tag: 'W06', before: 'afterST' }, { tag: 'N1', loop: 'N1', before: ['N9', 'G62', 'NTE', 'W27', 'W10', 'LX', 'W12', 'W03', 'SE'] }],
    elements: [
      { tag: 'W06', position: 1, ref: '514', type: 'ID', min: 1, max: 1, required: true, codes: '514' },
      { tag: 'W06', position: 2, ref: '285', type: 'AN', min: 1, max: 22 },
      { tag: 'W12', position: 2, ref: '382', type: 'R', min: 1, max: 10 },
      { tag: 'W12', position: 5, ref: '355', type: 'ID', min: 2, max: 2, codes: '355' },
      ...N1,
    ],
    totals: [],
  },
  '943': {
    setId: '943', name: 'Warehouse Stock Transfer Shipment Advice',
    required: [{ tag: 'W06', before: 'afterST' }],
    elements: [
      { tag: 'W06', position: 1, ref: '514', type: 'ID', min: 1, max: 1, required: true, codes: '514' },
      { tag: 'W06', position: 2, ref: '285', type: 'AN', min: 1, max: 22 },
      { tag: 'W04', position: 1, ref: '382', type: 'R', min: 1, max: 10, required: true },
      { tag: 'W04', position: 2, ref: '355', type: 'ID', min: 2, max: 2, required: true, codes: '355' },
      ...N1,
    ],
    totals: [],
  },
  '944': {
    setId: '944', name: 'Warehouse Stock Transfer Receipt Advice',
    required: [{ tag: 'W17', before: 'afterST' }, { tag: 'N1', loop: 'N1', before: ['N9', 'G61', 'G62', 'NTE', 'W08', 'LX', 'W07', 'W14', 'SE'] }],
    elements: [
      { tag: 'W17', position: 1, ref: '514', type: 'ID', min: 1, max: 1, required: true, codes: '514' },
      { tag: 'W07', position: 1, ref: '382', type: 'R', min: 1, max: 10, required: true },
      { tag: 'W07', position: 2, ref: '355', type: 'ID', min: 2, max: 2, required: true, codes: '355' },
      ...N1,
    ],
    totals: [],
  },
  '846': {
    setId: '846', name: 'Inventory Inquiry/Advice',
    required: [{ tag: 'BIA', before: 'afterST' }],
    elements: [
      { tag: 'BIA', position: 1, ref: '353', type: 'ID', min: 2, max: 2, required: true, codes: '353' },
      { tag: 'BIA', position: 2, ref: '755', type: 'ID', min: 2, max: 2, required: true, codes: '755' },
      { tag: 'BIA', position: 3, ref: '127', type: 'AN', min: 1, max: 30, required: true },
      { tag: 'QTY', position: 3, component: 1, ref: '355', type: 'ID', min: 2, max: 2, codes: '355' },
      ...N1, ...CTT,
    ],
    totals: [{ kind: 'lineCount', counted: 'LIN' }],
  },
  '947': {
    setId: '947', name: 'Warehouse Inventory Adjustment Advice',
    required: [{ tag: 'W15', before: 'afterST' }],
    elements: [
      { tag: 'W19', position: 1, ref: '181', type: 'ID', min: 2, max: 2, required: true, codes: '181' },
      { tag: 'W19', position: 3, ref: '355', type: 'ID', min: 2, max: 2, required: true, codes: '355' },
      ...N1,
    ],
    totals: [],
  },
  '204': {
    setId: '204', name: 'Motor Carrier Load Tender',
    required: [{ tag: 'B2', before: 'afterST' }, { tag: 'B2A', before: ['L11', 'G62', 'MS3', 'AT5', 'PLD', 'LH6', 'NTE', 'N1', 'N7', 'S5', 'L3', 'SE'] },
      { tag: 'S5', loop: 'S5', before: ['L3', 'SE'] }],
    elements: [
      { tag: 'B2A', position: 1, ref: '353', type: 'ID', min: 2, max: 2, required: true, codes: '353' },
      { tag: 'S5', position: 1, ref: '165', type: 'N', min: 1, max: 3, required: true },
      ...N1,
    ],
    totals: [],
  },
  '990': {
    setId: '990', name: 'Response to a Load Tender',
    required: [{ tag: 'B1', before: 'afterST' }],
    elements: [
      { tag: 'B1', position: 1, ref: '140', type: 'ID', min: 2, max: 4, required: true },
      { tag: 'B1', position: 2, ref: '145', type: 'AN', min: 1, max: 30, required: true },
      { tag: 'B1', position: 4, ref: '558', type: 'ID', min: 1, max: 1, required: true, codes: '558' },
    ],
    totals: [],
  },
  '210': {
    setId: '210', name: 'Motor Carrier Freight Details and Invoice',
    required: [{ tag: 'B3', before: 'afterST' }],
    elements: [
      { tag: 'B3', position: 3, ref: '145', type: 'AN', min: 1, max: 30 },
      ...N1,
    ],
    totals: [],
  },
  '214': {
    setId: '214', name: 'Transportation Carrier Shipment Status Message',
    required: [{ tag: 'B10', before: 'afterST' }],
    elements: [
      { tag: 'B10', position: 1, ref: '127', type: 'AN', min: 1, max: 30, required: true },
      { tag: 'B10', position: 2, ref: '145', type: 'AN', min: 1, max: 30, required: true },
      ...N1,
    ],
    totals: [],
  },
};
