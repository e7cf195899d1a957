/**
 * Segment groups of the EDIFACT messages the shipped maps read, used to nest the map input
 * (src/mapping/edifact-input.ts). A group is named by its trigger segment: its repetitions become an
 * array `<trigger>_group` in the enclosing level (NAD_group, LIN_group, CPS_group...). The specs follow
 * the UN directories D.96A to D.03B (a segment that exists in only some releases does no harm in the
 * others). Segments after UNS (the summary section) go to `summary`. Message types without a spec get a
 * flat structure.
 */

/** One segment group: trigger segment, other segments it holds, nested groups. */
export interface EdifactGroupSpec {
  trigger: string;
  segments: readonly string[];
  groups?: readonly EdifactGroupSpec[];
}

/** Top level of a message: its own segments and groups (header and detail sections). */
export interface EdifactMessageSpec {
  segments: readonly string[];
  groups: readonly EdifactGroupSpec[];
  /** Groups of the summary section (after UNS). */
  summaryGroups?: readonly EdifactGroupSpec[];
}

const RFF: EdifactGroupSpec = { trigger: 'RFF', segments: ['DTM'] };
const CTA: EdifactGroupSpec = { trigger: 'CTA', segments: ['COM'] };
const NAD: EdifactGroupSpec = { trigger: 'NAD', segments: ['LOC', 'FII', 'DTM'], groups: [RFF, { trigger: 'DOC', segments: ['DTM'] }, CTA] };
const TAX: EdifactGroupSpec = { trigger: 'TAX', segments: ['MOA', 'LOC'] };
const CUX: EdifactGroupSpec = { trigger: 'CUX', segments: ['PCD', 'DTM'] };
const PAT: EdifactGroupSpec = { trigger: 'PAT', segments: ['DTM', 'PCD', 'MOA', 'PAI', 'FII'] };
const TDT: EdifactGroupSpec = { trigger: 'TDT', segments: ['DTM', 'TSR'], groups: [{ trigger: 'LOC', segments: ['DTM'] }, RFF] };
const TOD: EdifactGroupSpec = { trigger: 'TOD', segments: ['LOC'] };
const ALC: EdifactGroupSpec = {
  trigger: 'ALC', segments: ['ALI', 'DTM', 'FTX'],
  groups: [{ trigger: 'QTY', segments: ['RNG'] }, { trigger: 'PCD', segments: ['RNG'] }, { trigger: 'MOA', segments: ['RNG', 'CUX', 'DTM'] }, { trigger: 'RTE', segments: ['RNG'] }, TAX],
};
const PRI: EdifactGroupSpec = { trigger: 'PRI', segments: ['CUX', 'APR', 'RNG', 'DTM'] };
const PCI: EdifactGroupSpec = { trigger: 'PCI', segments: ['RFF', 'DTM', 'GIR', 'MEA', 'QTY', 'FTX'], groups: [{ trigger: 'GIN', segments: ['DLM'] }] };
const PAC: EdifactGroupSpec = { trigger: 'PAC', segments: ['MEA', 'QTY', 'DTM', 'RFF', 'FTX'], groups: [{ trigger: 'HAN', segments: ['FTX'] }, PCI] };
const LOC_QTY: EdifactGroupSpec = { trigger: 'LOC', segments: ['QTY', 'DTM', 'NAD'] };
const SCC: EdifactGroupSpec = { trigger: 'SCC', segments: ['FTX', 'RFF'], groups: [{ trigger: 'QTY', segments: ['DTM'] }] };
const QVR: EdifactGroupSpec = { trigger: 'QVR', segments: ['DTM', 'FTX'], groups: [RFF] };

const ORDERS: EdifactMessageSpec = {
  segments: ['UNH', 'BGM', 'DTM', 'PAI', 'ALI', 'IMD', 'FTX', 'GIR', 'UNT'],
  groups: [
    RFF, NAD, TAX, CUX, PAT, TDT, TOD, PAC, ALC, SCC,
    {
      trigger: 'LIN', segments: ['PIA', 'IMD', 'MEA', 'QTY', 'PCD', 'ALI', 'DTM', 'MOA', 'GIN', 'GIR', 'QVR', 'DOC', 'PAI', 'FTX'],
      groups: [{ trigger: 'CCI', segments: ['CAV', 'MEA'] }, PRI, RFF, PAC, LOC_QTY, TAX, NAD, ALC, TDT, TOD, SCC],
    },
  ],
  summaryGroups: [{ trigger: 'MOA', segments: ['RFF'] }, { trigger: 'ALC', segments: ['ALI', 'MOA'] }],
};

const INVOIC: EdifactMessageSpec = {
  segments: ['UNH', 'BGM', 'DTM', 'PAI', 'ALI', 'IMD', 'FTX', 'LOC', 'GIR', 'UNT'],
  groups: [
    RFF, NAD, TAX, CUX, PAT, TDT, TOD, PAC, ALC,
    {
      trigger: 'LIN', segments: ['PIA', 'IMD', 'MEA', 'QTY', 'PCD', 'ALI', 'DTM', 'GIN', 'GIR', 'QVR', 'EQD', 'FTX', 'CUX'],
      groups: [{ trigger: 'MOA', segments: ['CUX'] }, PAT, PRI, RFF, PAC, LOC_QTY, TAX, NAD, ALC, TDT, TOD],
    },
  ],
  summaryGroups: [{ trigger: 'MOA', segments: ['RFF'] }, TAX, { trigger: 'ALC', segments: ['ALI', 'MOA'] }],
};

const LIN_DESPATCH: EdifactGroupSpec = {
  trigger: 'LIN', segments: ['PIA', 'IMD', 'MEA', 'QTY', 'ALI', 'GIN', 'GIR', 'DLM', 'DTM', 'FTX', 'MOA'],
  groups: [RFF, PCI, { trigger: 'LOC', segments: ['NAD', 'DTM', 'QTY'] }, QVR, { trigger: 'SGP', segments: ['QTY'] }],
};

const DESADV: EdifactMessageSpec = {
  segments: ['UNH', 'BGM', 'DTM', 'ALI', 'MEA', 'MOA', 'UNT'],
  groups: [RFF, NAD, TOD, TDT, { trigger: 'EQD', segments: ['MEA', 'SEL', 'EQA', 'HAN'] }, { trigger: 'CPS', segments: ['FTX'], groups: [PAC, LIN_DESPATCH] }],
  summaryGroups: [],
};

const RECADV: EdifactMessageSpec = {
  segments: ['UNH', 'BGM', 'DTM', 'ALI', 'MEA', 'UNT'],
  groups: [RFF, NAD, TOD, TDT, { trigger: 'EQD', segments: ['MEA', 'SEL'] }, { trigger: 'CPS', segments: ['FTX'], groups: [PAC, LIN_DESPATCH] }],
};

const INVRPT: EdifactMessageSpec = {
  segments: ['UNH', 'BGM', 'DTM', 'FTX', 'UNT'],
  groups: [
    RFF, NAD, CUX, { trigger: 'LOC', segments: ['DTM'] },
    {
      trigger: 'LIN', segments: ['PIA', 'IMD', 'MEA', 'QTY', 'ALI', 'GIN', 'DTM', 'FTX', 'PRI', 'MOA'],
      groups: [RFF, { trigger: 'INV', segments: ['DTM', 'FTX'], groups: [{ trigger: 'QTY', segments: ['GIN', 'DTM', 'NAD', 'LOC', 'GIR'] }] }, { trigger: 'QTY', segments: ['GIN', 'DTM', 'NAD', 'LOC', 'GIR'] }, { trigger: 'LOC', segments: ['DTM', 'QTY'] }],
    },
  ],
};

const IFTSTA: EdifactMessageSpec = {
  segments: ['UNH', 'BGM', 'DTM', 'FTX', 'CNT', 'UNT'],
  groups: [
    RFF, NAD,
    {
      trigger: 'CNI', segments: ['LOC', 'CNT', 'DTM'],
      groups: [RFF, { trigger: 'STS', segments: ['RFF', 'DTM', 'FTX', 'NAD', 'LOC', 'PCI', 'GID', 'MEA'], groups: [{ trigger: 'TDT', segments: ['LOC', 'DTM', 'RFF'] }, { trigger: 'EQD', segments: ['MEA', 'SEL', 'DIM'] }] }],
    },
  ],
};

/** Specs by message type (UNH S009 0065). */
export const EDIFACT_MESSAGE_SPECS: Readonly<Record<string, EdifactMessageSpec>> = { ORDERS, ORDCHG: ORDERS, INVOIC, DESADV, RECADV, INVRPT, IFTSTA };
