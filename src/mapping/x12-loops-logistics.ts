/**
 * Loop structure of the X12 logistics transaction sets the shipped maps read: 855, 860, 940, 943,
 * 947, 204, 210, 856, 810, 945, 944, 846 and 214 (the 990 has no loops and is read flat). Registered in X12_LOOP_SPECS
 * (src/mapping/x12-loops.ts). Each spec is the union of the positions X12 gives the set from 003010
 * to 005010, as for the 850; only loops matter here (a segment of the loop's level that a version
 * lacks does no harm). Sources: the X12 transaction set tables (heading, detail, summary) of each set.
 */
import type { X12LoopSpec, X12SetLoopSpec } from './x12-loops.js';

/* ---------------------------------------------------------------- shared loops */

/** N9 loop of the 850 family (reference with free-form messages). */
const N9_MSG: X12LoopSpec = { start: 'N9', segments: ['DTM', 'MEA', 'MSG', 'MTX', 'PWK', 'EFI'] };
/** Heading N1 loop of the 850 family. */
const N1_ORDER: X12LoopSpec = { start: 'N1', segments: ['N2', 'N3', 'N4', 'NX2', 'REF', 'PER', 'SI', 'FOB', 'TD1', 'TD5', 'TD3', 'TD4', 'PKG'] };
/** Detail N1 loop of the 850 family. */
const N1_ORDER_DETAIL: X12LoopSpec = {
  start: 'N1',
  segments: ['N2', 'N3', 'N4', 'QTY', 'NX2', 'REF', 'PER', 'SI', 'DTM', 'FOB', 'SCH', 'TD1', 'TD5', 'TD3', 'TD4', 'PKG', 'MSG', 'MTX'],
};
/** SLN loop of the 850 family. */
const SLN_ORDER: X12LoopSpec = {
  start: 'SLN',
  segments: ['MSG', 'MTX', 'SI', 'PID', 'PO3', 'TC2', 'ADV', 'DTM', 'CTP', 'PO4', 'TAX', 'SAC', 'CUR', 'QTY', 'NX2', 'REF', 'ACK'],
  loops: [N9_MSG, N1_ORDER_DETAIL],
};
/** Heading segments of the 850 family (855, 860) outside loops. */
const ORDER_HEADING = [
  'ST', 'CUR', 'REF', 'PER', 'TAX', 'FOB', 'CTP', 'PAM', 'CSH', 'TC2', 'SAC', 'ITD', 'DIS', 'INC', 'DTM', 'LDT',
  'LIN', 'SI', 'PID', 'MEA', 'PWK', 'PKG', 'TD1', 'TD5', 'TD3', 'TD4', 'MAN', 'PCT', 'CTB', 'TXI', 'AMT', 'NTE', 'MTX', 'ID4', 'SE',
];
/** Line segments of the 850 family (PO1 of the 855, POC of the 860) outside nested loops. */
const ORDER_LINE = [
  'LIN', 'SI', 'CUR', 'CN1', 'PO3', 'CTP', 'MEA', 'PID', 'PWK', 'PO4', 'REF', 'PER', 'SAC', 'IT8', 'CSH', 'ITD', 'DIS',
  'INC', 'TAX', 'FOB', 'SDQ', 'IT3', 'DTM', 'TC2', 'TD1', 'TD5', 'TD3', 'TD4', 'PKG', 'MAN', 'MSG', 'MTX', 'NTE', 'SPI',
  'CB1', 'TXI', 'CTB', 'QTY', 'FST', 'ACK', 'AMT',
];
/** Nested loops of a line of the 850 family. */
const ORDER_LINE_LOOPS: readonly X12LoopSpec[] = [
  { start: 'SCH', segments: ['TD1', 'TD5', 'TD3', 'TD4', 'REF'] },
  N9_MSG,
  N1_ORDER_DETAIL,
  SLN_ORDER,
  { start: 'LM', segments: ['LQ'] },
];

/** Warehouse N1 loop (940, 943, 947): N1..N4 and contacts (the heading N9 follows the loop, outside it). */
const N1_WAREHOUSE: X12LoopSpec = { start: 'N1', segments: ['N2', 'N3', 'N4', 'PER', 'G61'] };

/* ---------------------------------------------------------------- 855 and 860 */

/** 855 Purchase Order Acknowledgment: BAK heading, PO1 loops with ACK (and their own SCH, N1, SLN loops), CTT loop. */
const X12_855: X12SetLoopSpec = {
  segments: ['BAK', ...ORDER_HEADING],
  loops: [N9_MSG, N1_ORDER, { start: 'PO1', segments: ORDER_LINE, loops: ORDER_LINE_LOOPS }, { start: 'CTT', segments: ['AMT'] }],
};

/** 860 Purchase Order Change Request - Buyer Initiated: BCH heading, POC loops, CTT loop. */
const X12_860: X12SetLoopSpec = {
  segments: ['BCH', ...ORDER_HEADING],
  loops: [N9_MSG, N1_ORDER, { start: 'POC', segments: ORDER_LINE, loops: ORDER_LINE_LOOPS }, { start: 'CTT', segments: ['AMT'] }],
};

/* ---------------------------------------------------------------- warehouse sets */

/** Item loop of the 940 (W01, inside an LX loop from 004010 on, or on its own before). */
const W01_LOOP: X12LoopSpec = { start: 'W01', segments: ['G69', 'N9', 'W20', 'G62', 'QTY', 'AMT', 'MAN', 'NTE', 'W19'] };

/** 940 Warehouse Shipping Order. */
const X12_940: X12SetLoopSpec = {
  segments: ['ST', 'W05', 'N9', 'G62', 'NTE', 'W66', 'W6', 'W76', 'SE'],
  loops: [N1_WAREHOUSE, { start: 'LM', segments: ['LQ'] }, { start: 'LX', segments: [], loops: [W01_LOOP] }, W01_LOOP],
};

/** Item loop of the 943 (W04, inside an LX loop in later versions). */
const W04_LOOP: X12LoopSpec = { start: 'W04', segments: ['G69', 'N9', 'W20', 'G62', 'QTY', 'FA1', 'FA2'] };

/** 943 Warehouse Stock Transfer Shipment Advice. */
const X12_943: X12SetLoopSpec = {
  segments: ['ST', 'W06', 'N9', 'G61', 'G62', 'NTE', 'W27', 'W28', 'W10', 'W03', 'SE'],
  loops: [N1_WAREHOUSE, { start: 'LX', segments: [], loops: [W04_LOOP] }, W04_LOOP],
};

/** 947 Warehouse Inventory Adjustment Advice. */
const X12_947: X12SetLoopSpec = {
  segments: ['ST', 'W15', 'N9', 'G61', 'G62', 'NTE', 'SE'],
  loops: [N1_WAREHOUSE, { start: 'LM', segments: ['LQ'] }, { start: 'W19', segments: ['G69', 'N9', 'W20', 'G62', 'CD3'] }],
};

/* ---------------------------------------------------------------- transportation sets */

/** 204 Motor Carrier Load Tender: heading N1 and N7 loops, S5 stop loops with their N1 and L5 loops, L3 totals. */
const X12_204: X12SetLoopSpec = {
  segments: ['ST', 'B2', 'B2A', 'L11', 'G62', 'MS3', 'AT5', 'PLD', 'LH6', 'NTE', 'L3', 'SE'],
  loops: [
    { start: 'N1', segments: ['N2', 'N3', 'N4', 'L11', 'G61'] },
    { start: 'N7', segments: ['N7A', 'N7B', 'MEA', 'M7'] },
    {
      start: 'S5',
      segments: ['L11', 'G62', 'AT8', 'LAD', 'AT5', 'PLD', 'NTE'],
      loops: [
        { start: 'N1', segments: ['N2', 'N3', 'N4', 'G61'] },
        { start: 'L5', segments: ['AT8', 'AT5', 'G61', 'PLD'] },
        { start: 'OID', segments: ['G62', 'LAD'] },
      ],
    },
  ],
};

/** 210 Motor Carrier Freight Details and Invoice: heading N1 and N7 loops, S5 loops, LX charge loops, L3 totals. */
const X12_210: X12SetLoopSpec = {
  segments: ['ST', 'B3', 'B2A', 'C2', 'C3', 'ITD', 'N9', 'G62', 'R3', 'H3', 'K1', 'L3', 'SE'],
  loops: [
    { start: 'N1', segments: ['N2', 'N3', 'N4', 'N9'] },
    { start: 'N7', segments: ['M7'] },
    { start: 'S5', segments: ['N9', 'G62', 'H3'], loops: [{ start: 'N1', segments: ['N2', 'N3', 'N4', 'N9'] }] },
    { start: 'LX', segments: ['N9', 'POD', 'L5', 'H1', 'H2', 'L0', 'L1', 'L4', 'L7', 'K1'], loops: [{ start: 'N1', segments: ['N2', 'N3', 'N4', 'N9'] }] },
  ],
};

/* ---------------------------------------------------------------- 856, 810, 945, 944, 846, 214 */

/** N1 loop of the 856 HL levels and the 810 heading and lines. */
const N1_SHIP: X12LoopSpec = { start: 'N1', segments: ['N2', 'N3', 'N4', 'REF', 'PER', 'FOB', 'SDQ', 'DMG'] };

/**
 * 856 Ship Notice/Manifest: heading BSN and DTM, then one flat HL loop per hierarchical level (the
 * tree is in HL01/HL02, not in the segment order) with its N1, CLD and SAC loops, then CTT.
 */
const X12_856: X12SetLoopSpec = {
  segments: ['ST', 'BSN', 'DTM', 'CTT', 'SE'],
  loops: [
    {
      start: 'HL',
      segments: [
        'LIN', 'SN1', 'SLN', 'PRF', 'PO4', 'PID', 'MEA', 'PWK', 'PKG', 'TD1', 'TD5', 'TD3', 'TD4', 'TSD', 'REF', 'PER',
        'MAN', 'DTM', 'FOB', 'PAL', 'SDQ', 'ETD', 'CUR', 'GF', 'YNQ', 'LH1', 'LH2', 'LH3', 'LFH', 'LEP', 'LH4', 'LHT', 'LHR',
      ],
      loops: [N1_SHIP, { start: 'CLD', segments: ['REF', 'DTM'] }, { start: 'SAC', segments: ['CUR'] }, { start: 'LM', segments: ['LQ'] }],
    },
  ],
};

/** 810 Invoice: BIG heading with N1 and N9 loops, IT1 loops (with SAC, SLN, N1 loops), summary TDS, SAC loops, ISS, CTT. */
const X12_810: X12SetLoopSpec = {
  segments: [
    'ST', 'BIG', 'NTE', 'CUR', 'REF', 'YNQ', 'PER', 'ITD', 'DTM', 'FOB', 'PID', 'MEA', 'PWK', 'PKG', 'L7', 'BAL', 'INC', 'PAM',
    'TDS', 'TXI', 'CAD', 'AMT', 'CTT', 'SE',
  ],
  loops: [
    N1_SHIP,
    { start: 'N9', segments: ['MSG'] },
    { start: 'LM', segments: ['LQ'] },
    {
      start: 'IT1',
      segments: [
        'CRC', 'QTY', 'CUR', 'IT3', 'TXI', 'CTP', 'PAM', 'MEA', 'PID', 'PWK', 'PKG', 'PO4', 'ITD', 'REF', 'YNQ', 'PER', 'IT8',
        'DTM', 'CAD', 'L7', 'SR',
      ],
      loops: [
        { start: 'SAC', segments: ['TXI'] },
        { start: 'SLN', segments: ['DTM', 'REF', 'PID', 'SAC', 'TC2', 'TXI'] },
        N1_SHIP,
        { start: 'LM', segments: ['LQ'] },
      ],
    },
    { start: 'SAC', segments: ['TXI'] },
    { start: 'ISS', segments: ['PID'] },
  ],
};

/** Item loop of the 945 (W12, inside an LX loop from 004010 on, or on its own before). */
const W12_LOOP: X12LoopSpec = { start: 'W12', segments: ['G69', 'N9', 'W10', 'MAN', 'G62', 'W20', 'QTY'] };

/** 945 Warehouse Shipping Advice. */
const X12_945: X12SetLoopSpec = {
  segments: ['ST', 'W06', 'N9', 'G62', 'NTE', 'W27', 'W28', 'W10', 'W03', 'SE'],
  loops: [N1_WAREHOUSE, { start: 'LX', segments: ['MAN', 'PAL', 'N9'], loops: [W12_LOOP] }, W12_LOOP],
};

/** Item loop of the 944 (W07 with its W13 exceptions; inside an LX loop in later versions). */
const W07_LOOP: X12LoopSpec = { start: 'W07', segments: ['G69', 'N9', 'W20'], loops: [{ start: 'W13', segments: ['N9'] }] };

/** 944 Warehouse Stock Transfer Receipt Advice. */
const X12_944: X12SetLoopSpec = {
  segments: ['ST', 'W17', 'N9', 'G61', 'G62', 'NTE', 'W08', 'W09', 'G08', 'W14', 'SE'],
  loops: [N1_WAREHOUSE, { start: 'LX', segments: ['MAN', 'PAL', 'N9'], loops: [W07_LOOP] }, W07_LOOP],
};

/** 846 Inventory Inquiry/Advice: BIA heading with N1 loops, LIN loops with their QTY and N1 (location) loops, CTT. */
const X12_846: X12SetLoopSpec = {
  segments: ['ST', 'BIA', 'NTE', 'CUR', 'DTM', 'REF', 'PER', 'MEA', 'CTT', 'SE'],
  loops: [
    { start: 'N1', segments: ['N2', 'N3', 'N4', 'REF', 'PER'] },
    { start: 'LM', segments: ['LQ'] },
    {
      start: 'LIN',
      segments: ['SI', 'PID', 'MEA', 'PWK', 'PKG', 'PO4', 'PRS', 'DTM', 'REF', 'PER', 'SAC', 'CTP', 'CUR', 'SDQ', 'G39', 'FA1'],
      loops: [
        { start: 'QTY', segments: ['UIT', 'SCH', 'DTM', 'REF', 'SDQ'] },
        { start: 'N1', segments: ['N2', 'N3', 'N4', 'REF', 'PER', 'DTM'] },
        { start: 'LDT', segments: ['MAN', 'QTY', 'REF', 'DTM'] },
        { start: 'SLN', segments: ['PID', 'DTM', 'REF'] },
      ],
    },
  ],
};

/** 214 Transportation Carrier Shipment Status Message: B10 heading with N1 loops, LX loops with AT7 status loops and CD3 loops. */
const X12_214: X12SetLoopSpec = {
  segments: ['ST', 'B10', 'L11', 'MAN', 'Q7', 'K1', 'MS3', 'SE'],
  loops: [
    { start: 'N1', segments: ['N2', 'N3', 'N4', 'G62', 'L11', 'G61'] },
    {
      start: 'LX',
      segments: ['L11', 'MAN', 'Q7', 'K1', 'AT5', 'AT8', 'PRF'],
      loops: [
        { start: 'AT7', segments: ['MS1', 'MS2'] },
        { start: 'CD3', segments: ['L11', 'H6', 'MAN', 'K1'] },
        { start: 'NM1', segments: ['N2', 'N3', 'N4', 'REF'] },
      ],
    },
  ],
};

/** Loop specs of the logistics sets by transaction set id (ST01). */
export const LOGISTICS_LOOP_SPECS: Readonly<Record<string, X12SetLoopSpec>> = {
  '855': X12_855,
  '860': X12_860,
  '940': X12_940,
  '943': X12_943,
  '947': X12_947,
  '204': X12_204,
  '210': X12_210,
  '856': X12_856,
  '810': X12_810,
  '945': X12_945,
  '944': X12_944,
  '846': X12_846,
  '214': X12_214,
};
