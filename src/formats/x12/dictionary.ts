/**
 * X12 segment dictionary and element-level validation (997 AK3/AK4 detail).
 *
 * Holds element definitions (reference number, type, min/max length) and segment definitions
 * (element requirement M/O/X per position) for the envelope segments and every segment of the
 * 850 Purchase Order in versions 003010 through 005010, plus the IDs of the other X12 segments
 * so that valid segments of other transaction sets are not called unrecognized.
 *
 * Version differences: a segment's element list and an element's type are stable across
 * 003010-005010 for these segments; where the maximum length grew (e.g. 127 Reference
 * Identification 30 -> 50, 364 Communication Number 80 -> 256) the largest is used. Dates (DT)
 * are YYMMDD (6/6) before 004010 and CCYYMMDD (8/8) from 004010 on. Conditional (X) elements
 * are not enforced: relational conditions (syntax notes) are not checked.
 */
import type { Finding } from '../../validation/finding.js';
import { makeFinding, type FindingCode } from '../../validation/codes.js';
import type { X12Delimiters, X12Segment } from './types.js';

/** X12 data element types: AN string, ID code, Nn numeric with n implied decimals, R decimal, DT date, TM time, B binary. */
export type X12ElementType = 'AN' | 'ID' | 'N0' | 'N1' | 'N2' | 'N3' | 'N4' | 'N5' | 'N6' | 'N7' | 'N8' | 'N9' | 'R' | 'DT' | 'TM' | 'B';
/** Requirement designator: M mandatory, O optional, X conditional (relational condition, not enforced). */
export type X12Requirement = 'M' | 'O' | 'X';

export interface X12ElementDef {
  /** Data element reference number, e.g. "324", or a composite id, e.g. "C001". */
  ref: string;
  type: X12ElementType | 'COMPOSITE';
  min: number;
  max: number;
}

export interface X12ElementUse extends X12ElementDef {
  requirement: X12Requirement;
  /** Components of a composite element (undefined for simple elements and unchecked composites). */
  components?: X12ElementUse[];
}

export interface X12SegmentDef {
  tag: string;
  elements: X12ElementUse[];
  /** True when elements past the defined ones are tolerated (definition not exhaustive). */
  open: boolean;
}

/** Element dictionary: reference number -> [type, min, max]. DT lengths are set per version at check time. */
const E: Record<string, [X12ElementType, number, number]> = {
  '19': ['AN', 2, 30], '22': ['AN', 1, 30], '23': ['ID', 1, 1], '24': ['ID', 4, 4], '26': ['ID', 2, 3],
  '28': ['N0', 1, 9], '40': ['ID', 2, 2], '54': ['ID', 2, 2], '61': ['AN', 1, 30], '65': ['R', 1, 8],
  '66': ['ID', 1, 2], '67': ['AN', 2, 80], '79': ['AN', 1, 50], '80': ['N0', 1, 7], '81': ['R', 1, 10],
  '82': ['R', 1, 8], '87': ['AN', 1, 48], '88': ['ID', 1, 2], '91': ['ID', 1, 2], '92': ['ID', 2, 2],
  '93': ['AN', 1, 60], '96': ['N0', 1, 10], '97': ['N0', 1, 6], '98': ['ID', 2, 3], '100': ['ID', 3, 3],
  '102': ['ID', 1, 1], '103': ['AN', 3, 5], '107': ['ID', 1, 2], '116': ['ID', 3, 15], '118': ['R', 1, 9],
  '124': ['AN', 2, 15], '127': ['AN', 1, 50], '128': ['ID', 2, 3], '133': ['ID', 1, 2], '142': ['AN', 2, 15],
  '143': ['ID', 3, 3], '146': ['ID', 2, 2], '152': ['ID', 2, 3], '156': ['ID', 2, 2], '166': ['AN', 1, 55],
  '183': ['R', 1, 8], '187': ['ID', 1, 2], '189': ['R', 1, 8], '206': ['AN', 1, 4], '207': ['AN', 1, 10],
  '208': ['ID', 1, 1], '209': ['AN', 1, 4], '212': ['R', 1, 17], '225': ['AN', 2, 15], '234': ['AN', 1, 48],
  '235': ['ID', 2, 2], '236': ['ID', 3, 3], '248': ['ID', 1, 1], '280': ['R', 4, 10], '284': ['ID', 1, 2],
  '289': ['N0', 1, 2], '306': ['ID', 1, 2], '309': ['ID', 1, 2], '310': ['AN', 1, 30], '323': ['DT', 8, 8],
  '324': ['AN', 1, 22], '325': ['AN', 1, 20], '326': ['AN', 1, 45], '328': ['AN', 1, 30], '329': ['AN', 4, 9],
  '330': ['R', 1, 15], '331': ['ID', 2, 2], '332': ['R', 1, 6], '333': ['ID', 1, 2], '334': ['ID', 2, 2],
  '335': ['ID', 3, 3], '336': ['ID', 2, 2], '337': ['TM', 4, 8], '338': ['R', 1, 6], '342': ['R', 1, 5],
  '344': ['ID', 2, 2], '345': ['ID', 2, 2], '347': ['R', 1, 10], '349': ['ID', 1, 1], '350': ['AN', 1, 20],
  '351': ['N0', 1, 3], '352': ['AN', 1, 80], '353': ['ID', 2, 2], '354': ['N0', 1, 6], '355': ['ID', 2, 2],
  '356': ['N0', 1, 6], '357': ['R', 1, 8], '362': ['N2', 1, 10], '363': ['ID', 3, 3], '364': ['AN', 1, 256],
  '365': ['ID', 2, 2], '366': ['ID', 2, 2], '367': ['AN', 1, 30], '368': ['ID', 2, 2], '369': ['AN', 1, 45],
  '370': ['DT', 8, 8], '371': ['ID', 2, 2], '373': ['DT', 8, 8], '374': ['ID', 3, 3], '378': ['ID', 1, 1],
  '380': ['R', 1, 15], '384': ['R', 1, 9], '385': ['R', 1, 9], '386': ['N0', 1, 3], '387': ['AN', 1, 35],
  '388': ['DT', 8, 8], '389': ['N2', 1, 10], '400': ['ID', 2, 2], '407': ['ID', 2, 2], '441': ['ID', 1, 1],
  '443': ['AN', 1, 20], '446': ['DT', 8, 8], '455': ['ID', 1, 2], '478': ['ID', 1, 1], '479': ['ID', 2, 2],
  '480': ['AN', 1, 12], '499': ['AN', 1, 10], '508': ['AN', 1, 35], '522': ['ID', 1, 3], '559': ['ID', 2, 2],
  '560': ['ID', 2, 10], '563': ['ID', 1, 2], '566': ['ID', 1, 2], '587': ['ID', 2, 2], '610': ['N2', 1, 15],
  '623': ['ID', 2, 2], '639': ['ID', 2, 2], '640': ['ID', 2, 2], '648': ['ID', 3, 3], '649': ['R', 1, 10],
  '653': ['ID', 3, 3], '654': ['ID', 2, 2], '655': ['R', 1, 10], '656': ['ID', 2, 2], '657': ['N0', 1, 10],
  '662': ['ID', 1, 1], '669': ['ID', 3, 3], '673': ['ID', 2, 2], '687': ['ID', 2, 2], '688': ['ID', 2, 2],
  '706': ['ID', 2, 2], '731': ['ID', 2, 2], '732': ['ID', 2, 2], '733': ['R', 1, 4], '737': ['ID', 2, 2],
  '738': ['ID', 1, 3], '739': ['R', 1, 20], '740': ['R', 1, 20], '741': ['R', 1, 20], '750': ['ID', 2, 3],
  '751': ['AN', 1, 12], '752': ['ID', 2, 2], '753': ['ID', 1, 5], '754': ['AN', 1, 7], '755': ['ID', 2, 2],
  '756': ['ID', 1, 2], '757': ['N0', 1, 2], '765': ['N0', 1, 2], '770': ['AN', 1, 20], '782': ['R', 1, 18],
  '786': ['ID', 2, 2], '799': ['AN', 1, 30], '810': ['N0', 1, 6], '819': ['ID', 2, 3], '822': ['AN', 1, 15],
  '828': ['R', 1, 9], '933': ['AN', 1, 264], '934': ['ID', 2, 2], '935': ['ID', 2, 2], '936': ['ID', 2, 2],
  '954': ['R', 1, 10], '955': ['ID', 2, 2], '956': ['AN', 1, 10], '963': ['ID', 2, 2], '1000': ['ID', 2, 2],
  '1004': ['ID', 1, 2], '1018': ['R', 1, 15], '1019': ['ID', 3, 3], '1073': ['ID', 1, 1], '1096': ['ID', 5, 5],
  '1106': ['ID', 2, 2], '1166': ['ID', 2, 2], '1179': ['ID', 3, 3], '1232': ['ID', 2, 2], '1250': ['ID', 2, 3],
  '1251': ['AN', 1, 35], '1270': ['ID', 1, 3], '1271': ['AN', 1, 30], '1300': ['ID', 4, 4], '1301': ['AN', 1, 10],
  '1373': ['ID', 2, 4], '1470': ['N0', 1, 9], '1525': ['ID', 1, 2], '1705': ['AN', 1, 35], '1715': ['ID', 1, 3],
};

/** Composite definitions (components as "M355 O1018 ..."). */
const COMPOSITES: Record<string, string> = {
  // C001 Composite Unit of Measure
  C001: 'M355 O1018 O649 X355 O1018 O649 X355 O1018 O649 X355 O1018 O649 X355 O1018 O649',
  // C040 Reference Identifier
  C040: 'M128 M127 X128 X127 X128 X127',
};

const pairs = (a: string, b: string, n: number): string => Array.from({ length: n }, () => `X${a} X${b}`).join(' ');
const dateTimeTriples = (n: number): string => Array.from({ length: n }, () => 'O374 X373 X337').join(' ');

/**
 * Segment definitions: element uses in position order. "M324" = mandatory element 324,
 * "OC001" = optional composite C001, "OC002?" = composite not checked. A trailing "+" means the
 * definition is open (later elements tolerated).
 */
const SEGMENTS: Record<string, string> = {
  // Envelope segments inside a transaction set (ST/SE are checked by the envelope reader).
  ST: 'M143 M329 O1705',
  SE: 'M96 M329',
  // 850 Purchase Order, 003010-005010
  BEG: 'M353 M92 M324 O328 M373 O367 O587 O1019 O1166 O1232 O786 O640',
  CUR: `M98 M100 O280 O98 O100 O669 ${dateTimeTriples(5)}`,
  REF: 'M128 X127 X352 OC040',
  PER: 'M366 O93 X365 X364 X365 X364 X365 X364 O443',
  TAX: 'X325 X309 X310 X309 X310 X309 X310 X309 X310 X309 X310 O441 O1179',
  FOB: 'M146 X309 O352 O334 X335 X309 O352 O54 X352',
  CTP: 'O687 X236 X212 X380 XC001 O648 X649 O782 O639 O499 O289',
  CSH: 'O563 X306 X610 X508 O373 X560 O566 X954 X1004',
  TC2: 'M23 M22',
  SAC: 'M248 X1300 X559 X1301 O610 X378 X332 O118 X355 X380 O380 O331 X127 O770 X352 O819',
  ITD: 'O336 O333 O338 X370 X351 O446 O386 O362 O388 X389 X342 O352 X765 O107 X954',
  DIS: 'M653 M654 M655 M656 M657 O656 O657',
  INC: 'M336 MC001 M380 M380 O380',
  DTM: 'M374 X373 X337 O623 X1250 X1251',
  LDT: 'M345 M380 M344 O373',
  LIN: `O350 M235 M234 ${pairs('235', '234', 14)}`,
  SI: `M559 M1000 M234 ${pairs('1000', '234', 9)}`,
  PID: 'M349 O750 X559 X751 X352 O752 O822 O1073 O819',
  MEA: 'O737 X738 X739 XC001 X740 X741 O935 X936 O752 O1373',
  PWK: 'M755 O756 O757 O98 X66 X67 O352 OC002? O1525',
  PKG: 'X349 O753 O559 X754 X352 O400',
  TD1: 'O103 X80 O23 X22 O79 O187 X81 X355 X183 X355',
  TD5: 'O133 X66 X67 X91 X387 X368 O309 X310 O731 O732 X733 X284 X284 O284 O26',
  TD3: 'X40 O206 X207 O187 X81 X355 O102 O407 O225 O24',
  TD4: 'X152 X208 X209 X352 O1073 +',
  MAN: 'M88 M87 O87 X88 X87 O87',
  PCT: 'M1004 M954',
  CTB: 'M688 X352 X673 X380 X522 X610',
  TXI: 'M963 X782 X954 X955 X956 X441 O662 O828 O325 O350',
  AMT: 'M522 M782 O478',
  N9: 'M128 X127 X369 O373 X337 O623 OC040',
  MSG: 'M933 O934 O1470',
  NTE: 'O363 M352',
  N1: 'M98 X93 X66 X67 O706 O98',
  N2: 'M93 O93',
  N3: 'M166 O166',
  N4: 'O19 O156 O116 O26 X309 O310 X1715',
  NX2: 'M1106 M166 O1096',
  LM: 'M559 O822',
  LQ: 'O1270 X1271',
  PO1: `O350 X330 O355 X212 O639 ${pairs('235', '234', 10)}`,
  CN1: 'M1166 O782 O332 O127 O338 O799',
  PO3: 'M371 O373 X236 O212 X639 M380 M355 O352',
  PO4: 'O356 X357 X355 X103 X187 X384 X355 X385 X355 X82 X189 X65 X355 O810 O752 X350 O350 O1470',
  SDQ: `M355 O66 M67 M380 ${pairs('67', '380', 9)} O310`,
  QTY: 'M673 X380 OC001 X61',
  SCH: 'M380 M355 O98 X93 M374 M373 O337 X374 X373 O337 O326 O350 +',
  SLN: `M350 O350 M662 X380 XC001 X212 O639 O662 ${pairs('235', '234', 10)}`,
  CTT: 'M354 O347 X81 X355 X183 X355 O352',
};

/** Segment IDs of the 850 that are recognized without element checks. */
const LOOSE_850 = ['PAM', 'ADV', 'SPI', 'IT8', 'IT3', 'CB1', 'MTX', 'RDT', 'ITA', 'G61', 'PAL', 'PRS', 'MCD'];

/** Other X12 segment IDs (all transaction sets), recognized without element checks. */
const OTHER_SEGMENT_IDS = `
A1 A2 A3 AAA ASI CAS PS1 TA3 ACK ACS ACT ADI ADJ ADX AIN AK1 AK2 AK3 AK4 AK5 AK6 AK7 AK8 AK9 AT1 AT2 AT3 AT4 AT5 AT6 AT7 AT8 AT9
ATA ATH ATN ATV B1 B10 B11 B12 B13 B2 B2A B3 B3A B4 B5 B6 B7 B8 B8A B9 BA1 BA2 BAK BAL BAU BC BCA BCD BCH BCI BCM
BCO BCP BCQ BCS BCT BDS BEN BFN BFR BGF BGN BHT BIA BIG BIL BIN BL BLI BLN BLR BMG BNX BOR BOS BPA BPP BPR BPS BPT
BQR BQT BR BRA BRC BRR BS BSC BSI BSN BSR BSS BTA BTC BTI BTP BTR BTS BUY BX C1 C2 C3 C4 C8 C8C CA1 CAD CAT CD CD2
CD3 CDA CDD CDI CDS CED CF1 CF2 CHR CID CL1 CLD CLI CLM CLP CLS CM COB CON CPR CR1 CR2 CR3 CR4 CR5 CR6 CR7 CR8 CRC
CRI CRO CRS CS CSB CSF CSI CSM CSS CSU CTC CTX CUR CV CYC D8 D9 DAD DB DED DEF DEG DFI DH DK DL DLV DMA DMG DN1 DN2
DSB DTP E1 E10 E20 E22 E30 E34 E4 E40 E6 E8 EA EB EC ED EFI EL1 EM EMS ENE ENT EQ EQD EQV ESI EUD F01 F13 F9 FA1
FA2 FAA FDA FGS FH FI FIR FK FL FRM FST FT FTP FU FW FX G01 G05 G17 G18 G20 G22 G23 G25 G26 G27 G28 G31 G32 G33
G34 G35 G36 G37 G38 G39 G40 G41 G42 G43 G44 G45 G46 G47 G48 G49 G50 G51 G52 G53 G54 G55 G62 G66 G68 G69 G72 G73
G82 G83 G84 G85 G86 G87 G88 G89 G91 G92 G93 G94 G95 G96 G97 G98 G99 GA GF GR GY H1 H2 H3 H5 H6 HAD HC HCP HCR HD
HI HL HLH HS HSD ICH ID1 ID3 ID4 IDB IDC III IIS IK3 IK4 IK5 IMP IN1 IN2 IND INI INR INS INT INV IRA IS1 IS2 ISB
ISC ISD ISE ISI ISR ISS IT1 IT4 IT5 IT9 ITP ITQ J2X JIL JIT JL K1 K2 K3 L0 L1 L10 L11 L13 L3 L4 L5 L7 L9 LAD LC
LCD LE LFH LH1 LH2 LH3 LH4 LH6 LHE LHR LHT LN LOC LS LT LUI LX M0 M1 M10 M11 M12 M13 M14 M15 M2 M20 M21 M3 M7 M7A
MBL MC MIA MIC MOA MRC MS1 MS2 MS3 MS4 MS5 N10 N11 N12 N5 N6 N7 N7A N7B N8 N8A NA NCA NCD NM1 NX1 OI OID OOI ORI
OTI P1 P2 P4 P5 PAT PD PDL PDP PDS PI PKD PKL PLA PLB PLD PM PN1 POC PR PRF PRR PRT PRV PS PSA PSC PSD PT PTD PUB
PYD Q1 Q2 Q3 Q5 Q7 QD R1 R2 R2A R3 R4 R9 RA RAB RAS RC RCD RCT RD RDM RDR RED REL REN RES RMR RMT RP RPA RTE RU
S1 S2 S3 S3E S3S S4 S4E S4S S5 S9 SBR SCA SCD SD1 SDP SEF SES SF SG SHD SHP SID SIN SMB SN1 SPK SPS SR SRE SS SSE
SSS STA STC SUM SUP SV SV1 SV2 SV3 SV4 SV5 SV6 SV7 SVA SVC SVD T1 T2 T3 T6 T8 TA1 TBA TCD TDS TED TFS TI TIS TMD
TOA TOO TPB TRF TRN TS2 TS3 TSD TSU TT TX UC UCS UD UIT UQ UR USD V1 V2 V3 V4 V5 V6 V9 VC VEH VID W01 W03 W04 W05
W06 W07 W08 W09 W10 W12 W13 W14 W15 W17 W18 W19 W2 W20 W21 W26 W27 W28 W3 W4 W5 W6 W66 W76 W79 W8 WD WS X1 X2 X4
X7 X8 XH XPO XQ Y1 Y2 Y3 Y4 Y6 Y7 YNQ ZA ZC ZD ZR GS GE ISA IEA`;

function parseUses(spec: string): { uses: X12ElementUse[]; open: boolean } {
  const uses: X12ElementUse[] = [];
  let open = false;
  for (const tok of spec.trim().split(/\s+/)) {
    if (tok === '+') {
      open = true;
      continue;
    }
    const requirement = tok[0] as X12Requirement;
    let ref = tok.slice(1);
    if (ref.startsWith('C')) {
      const unchecked = ref.endsWith('?');
      if (unchecked) ref = ref.slice(0, -1);
      const comp = COMPOSITES[ref];
      const use: X12ElementUse = { ref, type: 'COMPOSITE', min: 1, max: 99999, requirement };
      if (comp && !unchecked) use.components = parseUses(comp).uses;
      uses.push(use);
      continue;
    }
    const def = E[ref];
    if (!def) throw new Error(`dictionary: element ${ref} has no definition`);
    uses.push({ ref, type: def[0], min: def[1], max: def[2], requirement });
  }
  return { uses, open };
}

const SEGMENT_DEFS = new Map<string, X12SegmentDef>();
for (const [tag, spec] of Object.entries(SEGMENTS)) {
  const { uses, open } = parseUses(spec);
  SEGMENT_DEFS.set(tag, { tag, elements: uses, open });
}

const KNOWN_IDS = new Set<string>([...Object.keys(SEGMENTS), ...LOOSE_850, ...OTHER_SEGMENT_IDS.trim().split(/\s+/)]);

/** The definition of a segment, or undefined when only its ID is known (or it is unknown). */
export function getSegmentDef(tag: string): X12SegmentDef | undefined {
  return SEGMENT_DEFS.get(tag);
}

/** True when `tag` is a known X12 segment ID. */
export function isKnownSegmentId(tag: string): boolean {
  return KNOWN_IDS.has(tag);
}

/** Segment IDs that have element definitions (envelope and 850 segments). */
export function definedSegmentIds(): string[] {
  return [...SEGMENT_DEFS.keys()];
}

/**
 * DT length for a functional group version (GS08, e.g. "004010VICS"): 6 (YYMMDD) before 004010,
 * 8 (CCYYMMDD) from 004010 on.
 */
export function dateLengthForVersion(version: string): 6 | 8 {
  const v = version.slice(0, 6);
  return /^\d{6}$/.test(v) && v < '004010' ? 6 : 8;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** True for a valid YYMMDD (6 digits) or CCYYMMDD (8 digits) date. */
export function isValidDate(s: string): boolean {
  if (!/^\d{6}$|^\d{8}$/.test(s)) return false;
  const year = s.length === 8 ? Number(s.slice(0, 4)) : 2000 + Number(s.slice(0, 2));
  const md = s.slice(-4);
  const month = Number(md.slice(0, 2));
  const day = Number(md.slice(2));
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** True for a valid HHMM, HHMMSS or HHMMSSd..d time (24-hour clock). */
export function isValidTime(s: string): boolean {
  if (!/^\d{4}$|^\d{6,8}$/.test(s)) return false;
  const hh = Number(s.slice(0, 2));
  const mm = Number(s.slice(2, 4));
  const ss = s.length >= 6 ? Number(s.slice(4, 6)) : 0;
  return hh <= 23 && mm <= 59 && ss <= 59;
}

function hasControlChar(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c === 127) return true;
  }
  return false;
}
const NUMERIC_RE = /^-?\d+$/;
const DECIMAL_RE = /^-?(?:\d+\.?\d*|\.\d+)(?:[Ee]-?\d+)?$/;

/** AK403 code for one value against its definition, or null when valid. */
export function checkElementValue(value: string, type: X12ElementType, min: number, max: number): { code: FindingCode; detail: string } | null {
  if (hasControlChar(value)) return { code: 'X12_ELEMENT_INVALID_CHARACTER', detail: 'holds a control character' };
  let length = value.length;
  switch (type) {
    case 'R': {
      if (!DECIMAL_RE.test(value)) return { code: 'X12_ELEMENT_INVALID_CHARACTER', detail: 'is not a decimal number' };
      // Length counts the digits of the mantissa (sign, decimal point and exponent excluded).
      length = 0;
      for (let i = 0; i < value.length; i++) {
        const c = value.charCodeAt(i);
        if (c === 69 || c === 101) break;
        if (c >= 48 && c <= 57) length++;
      }
      break;
    }
    case 'DT':
      if (!/^\d+$/.test(value)) return { code: 'X12_ELEMENT_INVALID_DATE', detail: 'is not a date' };
      break;
    case 'TM':
      if (!/^\d+$/.test(value)) return { code: 'X12_ELEMENT_INVALID_TIME', detail: 'is not a time' };
      break;
    case 'AN':
    case 'ID':
    case 'B':
      break;
    default: // N0..N9
      if (!NUMERIC_RE.test(value)) return { code: 'X12_ELEMENT_INVALID_CHARACTER', detail: 'is not a whole number' };
      if (value.charCodeAt(0) === 45) length--;
  }
  if (length < min) return { code: 'X12_ELEMENT_TOO_SHORT', detail: `is too short (minimum ${min})` };
  if (length > max) return { code: 'X12_ELEMENT_TOO_LONG', detail: `is too long (maximum ${max})` };
  if (type === 'DT' && !isValidDate(value)) return { code: 'X12_ELEMENT_INVALID_DATE', detail: 'is not a valid date' };
  if (type === 'TM' && !isValidTime(value)) return { code: 'X12_ELEMENT_INVALID_TIME', detail: 'is not a valid time' };
  return null;
}

export interface SegmentCheckContext {
  /** 1-based position of the segment in its transaction set (ST = 1). */
  position: number;
  /** DT length in force (see dateLengthForVersion). */
  dateLength: 6 | 8;
  delimiters: X12Delimiters;
  /** Byte offset of the segment. */
  offset: number;
}

function clip(v: string): string {
  return v.length > 99 ? v.slice(0, 99) : v;
}

/**
 * Check one segment of a transaction set against the dictionary (X12.6 syntax; 997 AK3/AK4 codes):
 * unrecognized segment ID (AK304 1); mandatory element missing (AK403 1), too many elements (3),
 * too short (4), too long (5), invalid character (6), invalid date (8), invalid time (9). Element
 * findings carry AK304 8. Returns null when the segment is valid (the common case, no allocation).
 */
export function checkSegment(seg: X12Segment, ctx: SegmentCheckContext): Finding[] | null {
  const def = SEGMENT_DEFS.get(seg.tag);
  if (!def) {
    if (KNOWN_IDS.has(seg.tag)) return null;
    return [
      makeFinding('X12_SEGMENT_UNRECOGNIZED', `Segment ${ctx.position} "${clip(seg.tag)}" is not a recognized segment ID`, {
        offset: ctx.offset,
        segment: { tag: clip(seg.tag), position: ctx.position },
      }),
    ];
  }
  let out: Finding[] | null = null;
  const els = seg.elements;
  const defs = def.elements;
  const n = els.length > defs.length ? els.length : defs.length;
  for (let i = 0; i < n; i++) {
    const v = i < els.length ? (els[i] as string) : '';
    const use = defs[i];
    if (!use) {
      if (!def.open && els.slice(i).some((x) => x !== '')) {
        out = pushFinding(out, seg, ctx, 'X12_ELEMENT_TOO_MANY', i + 1, undefined,
          `${seg.tag} has ${els.length} elements; at most ${defs.length} are defined (segment ${ctx.position})`);
      }
      break;
    }
    if (v === '') {
      if (use.requirement === 'M') {
        out = pushFinding(out, seg, ctx, 'X12_ELEMENT_MISSING', i + 1, use, `${elementName(seg.tag, i)} (${use.ref}) is mandatory and missing (segment ${ctx.position})`);
      }
      continue;
    }
    if (use.type === 'COMPOSITE') {
      if (use.components) out = checkComposite(out, seg, ctx, i, v, use, use.components);
      continue;
    }
    const r = checkUse(v, use, ctx.dateLength);
    if (r) out = pushFinding(out, seg, ctx, r.code, i + 1, use, `${elementName(seg.tag, i)} (${use.ref}) "${clip(v)}" ${r.detail} (segment ${ctx.position})`, v);
  }
  return out;
}

function elementName(tag: string, i: number): string {
  return `${tag}${String(i + 1).padStart(2, '0')}`;
}

function checkComposite(
  out: Finding[] | null,
  seg: X12Segment,
  ctx: SegmentCheckContext,
  i: number,
  v: string,
  use: X12ElementUse,
  comps: X12ElementUse[],
): Finding[] | null {
  const parts = v.split(ctx.delimiters.component);
  const n = Math.max(parts.length, comps.length);
  for (let j = 0; j < n; j++) {
    const cv = parts[j] ?? '';
    const cu = comps[j];
    if (!cu) {
      if (parts.slice(j).some((x) => x !== '')) {
        out = pushFinding(out, seg, ctx, 'X12_ELEMENT_TOO_MANY', i + 1, use, `${elementName(seg.tag, i)} (${use.ref}) has too many components (segment ${ctx.position})`, undefined, j + 1);
      }
      break;
    }
    if (cv === '') {
      if (cu.requirement === 'M') {
        out = pushFinding(out, seg, ctx, 'X12_ELEMENT_MISSING', i + 1, cu, `${elementName(seg.tag, i)}-${j + 1} (${cu.ref}) is mandatory and missing (segment ${ctx.position})`, undefined, j + 1);
      }
      continue;
    }
    const r = checkUse(cv, cu, ctx.dateLength);
    if (r) out = pushFinding(out, seg, ctx, r.code, i + 1, cu, `${elementName(seg.tag, i)}-${j + 1} (${cu.ref}) "${clip(cv)}" ${r.detail} (segment ${ctx.position})`, cv, j + 1);
  }
  return out;
}

function pushFinding(
  out: Finding[] | null,
  seg: X12Segment,
  ctx: SegmentCheckContext,
  code: FindingCode,
  position: number,
  use: X12ElementUse | undefined,
  message: string,
  bad?: string,
  component?: number,
): Finding[] {
  const element: { position: number; reference?: string; badValue?: string; componentPosition?: number } = { position };
  if (use && !use.ref.startsWith('C')) element.reference = use.ref;
  if (component !== undefined) element.componentPosition = component;
  if (bad !== undefined) element.badValue = clip(bad);
  const list = out ?? [];
  list.push(makeFinding(code, message, { offset: ctx.offset, segment: { tag: seg.tag, position: ctx.position }, element }));
  return list;
}

function checkUse(v: string, use: X12ElementUse, dateLength: 6 | 8): { code: FindingCode; detail: string } | null {
  const type = use.type as X12ElementType;
  if (type === 'DT') return checkElementValue(v, 'DT', dateLength, dateLength);
  return checkElementValue(v, type, use.min, use.max);
}
