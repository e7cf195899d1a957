/**
 * Streaming X12 reader: tokenizer + envelope state machine + validation.
 *
 * Calls the X12ReaderHandlers (types.ts) as the structure is read: interchange start, group
 * start, each complete transaction set (with its segments and findings), group end, interchange
 * end; problems outside any interchange go to onFileFinding. Only the current transaction set's
 * segments are held, so memory is bounded by the largest set; group and interchange results keep
 * per-set summaries only.
 *
 * Acknowledgement outcome (X12.5/X12.6 and the 997/TA1 code lists):
 * - set (AK501): R if any error finding, E if only warnings, else A;
 * - group (AK901): R on a group-level error (GE missing or wrong, GS06 invalid...) or when no set
 *   is accepted; P when some sets are rejected and some accepted; E when all are accepted and
 *   some with errors (or the group has warnings); else A. A rejected group accepts nothing
 *   (acceptedCount 0).
 * - interchange (TA104): R when the envelope is broken (IEA missing or wrong, invalid ISA values);
 *   E for noted non-fatal problems (e.g. an unpadded ISA); else A. Nothing inside a rejected
 *   interchange, or a rejected group, may be processed: consumers must wait for onGroupEnd and
 *   onInterchangeEnd before acting on the sets they received.
 *
 * Partner data problems are findings; the reader throws only if a handler throws.
 */
import type { Finding } from '../../validation/finding.js';
import { makeFinding } from '../../validation/codes.js';
import { businessUnitOfSegment, type BusinessUnit } from '../../acks/business-units.js';
import type {
  X12GroupAckCode,
  X12GroupHeader,
  X12GroupResult,
  X12InterchangeAckCode,
  X12InterchangeHeader,
  X12InterchangeResult,
  X12ReaderHandlers,
  X12Segment,
  X12SetAckCode,
  X12SetSummary,
} from './types.js';
import { X12Tokenizer, type X12IsaInfo, type X12TokenizerProblem } from './tokenizer.js';
import { buildInterchangeHeader, validateIsa } from './isa.js';
import { checkSegment, dateLengthForVersion, isValidDate, isValidTime } from './dictionary.js';

/** Business unit identifiers kept per transaction set (an 837 with more claims is identified by its first 10,000). */
const MAX_BUSINESS_UNITS = 10_000;

export interface X12ReaderOptions {
  /** Maximum segment length in bytes; longer segments are reported and discarded (default 1 MiB). */
  maxSegmentLength?: number;
  /** Maximum segment/element findings recorded per transaction set (default 1000). */
  maxFindingsPerSet?: number;
}

interface SetCtx {
  setId: string;
  controlNumber: string;
  implementationReference?: string;
  segments: X12Segment[];
  /** Segments counted for SE01 (includes discarded over-long segments). */
  count: number;
  findings: Finding[];
  detailFindings: number;
  truncated: boolean;
  offsetStart: number;
  /** Business unit identifiers seen (999 CTX), capped at MAX_BUSINESS_UNITS. */
  businessUnits: BusinessUnit[];
}

interface GroupCtx {
  header: X12GroupHeader;
  sets: X12SetSummary[];
  findings: Finding[];
  controlNumbers: Set<string>;
  dateLength: 6 | 8;
  offsetStart: number;
}

interface InterchangeCtx {
  header: X12InterchangeHeader;
  groups: X12GroupResult[];
  findings: Finding[];
  groupControlNumbers: Set<string>;
  offsetStart: number;
  /** A stray segment was already reported since the last structural segment. */
  strayReported: boolean;
}

const INTERCHANGE_SERVICE_SEGMENTS = new Set(['TA1', 'TA3', 'ISB', 'ISE']);

/** Worst severity of a list of findings. */
/**
 * AK5 code of a transaction set from its findings (X12.5 997 AK501): R when any is an error, E when there are only
 * warnings, else A. Exported for the pipeline, which re-applies it after a partner policy relaxed a finding.
 */
export function setAckCodeOf(findings: Finding[]): X12SetAckCode {
  return ackOf(findings);
}

function ackOf(findings: Finding[]): X12SetAckCode {
  let warn = false;
  for (const f of findings) {
    if (f.severity === 'error') return 'R';
    warn = true;
  }
  return warn ? 'E' : 'A';
}

/** Numeric value of an all-digit control number (leading zeros ignored), or null. */
function numericKey(s: string): string | null {
  const t = s.trim();
  return /^\d+$/.test(t) ? t.replace(/^0+(?=\d)/, '') : null;
}

/**
 * Streaming X12 reader. `push()` chunks of any size, then `end()` once; handlers are called
 * synchronously. See the module comment for the acknowledgement rules.
 */
export class X12Reader {
  private readonly tok: X12Tokenizer;
  private ic: InterchangeCtx | null = null;
  private grp: GroupCtx | null = null;
  private set: SetCtx | null = null;
  /** Inside an ST..SE that is outside any group: skipped. */
  private orphanSet = false;
  /** Stray data outside interchanges already reported since the last ISA. */
  private fileStrayReported = false;
  /** Byte offset just past the last segment handled. */
  private lastEnd = 0;
  private readonly maxFindings: number;
  private ended = false;

  constructor(
    private readonly handlers: X12ReaderHandlers,
    options?: X12ReaderOptions,
  ) {
    this.maxFindings = options?.maxFindingsPerSet ?? 1000;
    this.tok = new X12Tokenizer(
      {
        onIsa: (seg, info, end) => this.onIsa(seg, info, end),
        onSegment: (seg, end) => this.onSegment(seg, end),
        onProblem: (p) => this.onProblem(p),
      },
      options?.maxSegmentLength !== undefined ? { maxSegmentLength: options.maxSegmentLength } : undefined,
    );
  }

  /** Feed the next chunk of the file (any size). */
  push(chunk: Buffer): void {
    this.tok.push(chunk);
  }

  /** End of file: flushes the last segment and closes any open set, group and interchange. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.tok.end();
    if (this.ic) this.closeInterchange(null, this.lastEnd);
  }

  /** Number of segments currently held (those of the open transaction set only). */
  get retainedSegments(): number {
    return this.set?.segments.length ?? 0;
  }

  /** Bytes buffered by the tokenizer (a partial segment). */
  get bufferedBytes(): number {
    return this.tok.bufferedBytes;
  }

  // ---------------------------------------------------------------- tokenizer callbacks

  private onIsa(seg: X12Segment, info: X12IsaInfo, end: number): void {
    if (this.ic) this.closeInterchange(null, this.lastEnd);
    else this.orphanSet = false;
    const header = buildInterchangeHeader(seg.elements, info.delimiters, seg.offset);
    this.ic = {
      header,
      groups: [],
      findings: validateIsa(header, info),
      groupControlNumbers: new Set(),
      offsetStart: seg.offset,
      strayReported: false,
    };
    this.fileStrayReported = false;
    this.lastEnd = end;
    this.handlers.onInterchangeStart?.(header);
  }

  private onSegment(seg: X12Segment, end: number): void {
    const prevEnd = this.lastEnd;
    this.lastEnd = end;
    const ic = this.ic;
    if (!ic) {
      this.strayOutside(seg);
      return;
    }
    switch (seg.tag) {
      case 'IEA':
        this.closeInterchange(seg, end, prevEnd);
        return;
      case 'GS':
        ic.strayReported = false;
        this.orphanSet = false;
        if (this.grp) this.closeGroup(null, prevEnd);
        this.openGroup(seg);
        return;
      case 'GE':
        ic.strayReported = false;
        this.orphanSet = false;
        if (this.grp) this.closeGroup(seg, end, prevEnd);
        else this.icFinding('X12_CONTROL_STRUCTURE', `GE at byte ${seg.offset} without a GS`, seg.offset);
        return;
      case 'ST':
        ic.strayReported = false;
        if (!this.grp) {
          this.icFinding('X12_ST_OUTSIDE_GROUP', `ST*${seg.elements[0] ?? ''}*${seg.elements[1] ?? ''} at byte ${seg.offset} is not inside a functional group`, seg.offset);
          this.orphanSet = true;
          return;
        }
        if (this.set) this.closeSet(null, prevEnd);
        this.openSet(seg);
        return;
      case 'SE':
        if (this.set) this.closeSet(seg, end);
        else if (this.orphanSet) this.orphanSet = false;
        else this.icFinding('X12_CONTROL_STRUCTURE', `SE at byte ${seg.offset} without an ST`, seg.offset);
        return;
      default:
        break;
    }
    const set = this.set;
    if (set) {
      set.segments.push(seg);
      set.count++;
      if (set.businessUnits.length < MAX_BUSINESS_UNITS) {
        const unit = businessUnitOfSegment(set.setId, seg, set.count);
        if (unit) set.businessUnits.push(unit);
      }
      if (set.detailFindings < this.maxFindings) {
        const found = checkSegment(seg, {
          position: set.count,
          dateLength: this.grp?.dateLength ?? 8,
          delimiters: ic.header.delimiters,
          offset: seg.offset,
        });
        if (found) this.addDetail(set, found);
      }
      return;
    }
    if (this.orphanSet) return;
    // Interchange-level service segments between ISA and the first GS (TA1, ISB/ISE grade of service, TA3).
    if (!this.grp && INTERCHANGE_SERVICE_SEGMENTS.has(seg.tag)) {
      this.handlers.onServiceSegment?.(seg, ic.header);
      return;
    }
    if (!ic.strayReported) {
      ic.strayReported = true;
      this.icFinding(
        'X12_CONTROL_STRUCTURE',
        `Segment ${seg.tag} at byte ${seg.offset} is outside any transaction set${this.grp ? '' : ' and functional group'}`,
        seg.offset,
      );
    }
  }

  private onProblem(p: X12TokenizerProblem): void {
    switch (p.kind) {
      case 'empty':
        this.fileFinding(makeFinding('X12_EMPTY_FILE', 'The file is empty', { offset: 0 }));
        return;
      case 'not-x12':
        this.fileFinding(
          makeFinding('X12_NOT_X12', `No ISA interchange header found in ${p.length ?? 0} bytes: not an X12 file`, { offset: p.offset }),
        );
        return;
      case 'garbage':
        this.fileFinding(
          makeFinding('X12_DATA_OUTSIDE_INTERCHANGE', `${p.length ?? 0} bytes at byte ${p.offset} are not part of any interchange`, {
            offset: p.offset,
          }),
        );
        return;
      case 'isa-unreadable':
        if (this.ic) this.closeInterchange(null, this.lastEnd);
        this.fileFinding(
          makeFinding('X12_ISA_UNREADABLE', `The ISA at byte ${p.offset} cannot be read: fewer than 16 element separators or truncated`, {
            offset: p.offset,
          }),
        );
        return;
      case 'segment-too-long': {
        const msg = `Segment ${p.hint ?? ''} at byte ${p.offset} is longer than the maximum segment length (missing terminator?); discarded`;
        if (this.set) {
          this.set.count++;
          this.set.findings.push(makeFinding('X12_SEGMENT_TOO_LONG', msg, { offset: p.offset }));
        } else if (this.ic) {
          this.ic.findings.push(makeFinding('X12_SEGMENT_TOO_LONG', msg, { offset: p.offset, level: 'interchange' }));
        } else {
          this.fileFinding(makeFinding('X12_SEGMENT_TOO_LONG', msg, { offset: p.offset, level: 'file' }));
        }
        return;
      }
      case 'unterminated': {
        const msg = `The last segment (${p.hint ?? ''}) at byte ${p.offset} has no segment terminator`;
        if (this.ic) this.ic.findings.push(makeFinding('X12_SEGMENT_UNTERMINATED', msg, { offset: p.offset }));
        else this.fileFinding(makeFinding('X12_SEGMENT_UNTERMINATED', msg, { offset: p.offset, level: 'file' }));
        return;
      }
    }
  }

  // ---------------------------------------------------------------- structure

  private strayOutside(seg: X12Segment): void {
    if (seg.tag === 'GS') {
      this.fileFinding(
        makeFinding('X12_GS_OUTSIDE_INTERCHANGE', `Functional group GS*${seg.elements[0] ?? ''} (GS06 ${seg.elements[5] ?? ''}) at byte ${seg.offset} is outside any interchange; ignored`, {
          offset: seg.offset,
        }),
      );
      this.fileStrayReported = true;
      return;
    }
    if (this.fileStrayReported) return;
    this.fileStrayReported = true;
    this.fileFinding(
      makeFinding('X12_DATA_OUTSIDE_INTERCHANGE', `Segment ${seg.tag} at byte ${seg.offset} is outside any interchange; ignored`, {
        offset: seg.offset,
      }),
    );
  }

  private openGroup(seg: X12Segment): void {
    const ic = this.ic;
    if (!ic) return;
    const e = (i: number): string => seg.elements[i] ?? '';
    const header: X12GroupHeader = {
      functionalId: e(0),
      senderCode: e(1),
      receiverCode: e(2),
      date: e(3),
      time: e(4),
      controlNumber: e(5),
      agency: e(6),
      version: e(7),
      offset: seg.offset,
    };
    const findings: Finding[] = [];
    const at = { offset: seg.offset };
    if (!/^[A-Z0-9]{2}$/.test(header.functionalId)) {
      findings.push(makeFinding('X12_GS01_INVALID', `GS01 functional identifier code "${header.functionalId}" is missing or invalid`, at));
    }
    if (!/^\d{1,9}$/.test(header.controlNumber)) {
      findings.push(makeFinding('X12_GS06_INVALID', `GS06 group control number "${header.controlNumber}" is not 1 to 9 digits`, at));
    } else {
      const key = numericKey(header.controlNumber) ?? header.controlNumber;
      if (ic.groupControlNumbers.has(key)) {
        findings.push(
          makeFinding('X12_GS_DUPLICATE_CONTROL', `GS06 group control number ${header.controlNumber} is used twice in interchange ${ic.header.controlNumber}`, at),
        );
      }
      ic.groupControlNumbers.add(key);
    }
    if (header.version.trim() === '') findings.push(makeFinding('X12_GS08_INVALID', 'GS08 version/release is missing', at));
    if (!isValidDate(header.date) || !isValidTime(header.time)) {
      findings.push(makeFinding('X12_GS_DATE_TIME_INVALID', `GS04 date "${header.date}" or GS05 time "${header.time}" is invalid`, at));
    }
    const version = header.version.trim() || `${ic.header.version}0`;
    this.grp = {
      header,
      sets: [],
      findings,
      controlNumbers: new Set(),
      dateLength: dateLengthForVersion(version),
      offsetStart: seg.offset,
    };
    this.handlers.onGroupStart?.(header);
  }

  private openSet(st: X12Segment): void {
    const grp = this.grp;
    if (!grp) return;
    const setId = st.elements[0] ?? '';
    const controlNumber = st.elements[1] ?? '';
    const findings: Finding[] = [];
    const at = { offset: st.offset };
    if (!/^[A-Z0-9]{3}$/.test(setId)) findings.push(makeFinding('X12_ST01_INVALID', `ST01 transaction set identifier "${setId}" is missing or invalid`, at));
    if (controlNumber.length < 4 || controlNumber.length > 9 || controlNumber.trim() !== controlNumber || /[\x00-\x1f\x7f]/.test(controlNumber)) {
      findings.push(makeFinding('X12_ST02_INVALID', `ST02 transaction set control number "${controlNumber}" is missing or invalid (4 to 9 characters)`, at));
    }
    if (controlNumber !== '' && grp.controlNumbers.has(controlNumber)) {
      findings.push(
        makeFinding('X12_ST_DUPLICATE_CONTROL', `ST02 ${controlNumber} is used twice in functional group ${grp.header.controlNumber}`, at),
      );
    }
    grp.controlNumbers.add(controlNumber);
    const ctx: SetCtx = {
      setId,
      controlNumber,
      segments: [st],
      count: 1,
      findings,
      detailFindings: 0,
      truncated: false,
      offsetStart: st.offset,
      businessUnits: [],
    };
    const st03 = st.elements[2];
    if (st03 !== undefined && st03 !== '') ctx.implementationReference = st03;
    this.set = ctx;
  }

  private addDetail(set: SetCtx, found: Finding[]): void {
    for (const f of found) {
      if (set.detailFindings >= this.maxFindings) {
        if (!set.truncated) {
          set.truncated = true;
          set.findings.push(
            makeFinding('X12_SET_FINDINGS_TRUNCATED', `More than ${this.maxFindings} segment errors in transaction set ${set.controlNumber}; the rest were not recorded`, {
              offset: f.offset ?? set.offsetStart,
            }),
          );
        }
        return;
      }
      set.detailFindings++;
      set.findings.push(f);
    }
  }

  /** Close the open set; `se` is its trailer, or null when the trailer is missing. */
  private closeSet(se: X12Segment | null, end: number): void {
    const set = this.set;
    const grp = this.grp;
    const ic = this.ic;
    if (!set || !grp || !ic) return;
    this.set = null;
    if (se) {
      set.segments.push(se);
      set.count++;
      const se01 = se.elements[0] ?? '';
      const se02 = se.elements[1] ?? '';
      const at = { offset: se.offset };
      if (!/^\d+$/.test(se01.trim()) || Number(se01.trim()) !== set.count) {
        set.findings.push(
          makeFinding('X12_SE_COUNT_MISMATCH', `SE01 is "${se01}" but transaction set ${set.controlNumber} has ${set.count} segments (ST to SE)`, at),
        );
      }
      if (se02 !== set.controlNumber) {
        set.findings.push(makeFinding('X12_SE_CONTROL_MISMATCH', `SE02 "${se02}" does not match ST02 "${set.controlNumber}"`, at));
      }
    } else {
      set.findings.push(
        makeFinding('X12_SE_MISSING', `Transaction set ${set.setId} ${set.controlNumber} has no SE trailer`, { offset: set.offsetStart }),
      );
    }
    const ackCode = ackOf(set.findings);
    const summary: X12SetSummary = { setId: set.setId, controlNumber: set.controlNumber, ackCode, findings: set.findings };
    if (set.implementationReference !== undefined) summary.implementationReference = set.implementationReference;
    if (set.businessUnits.length) summary.businessUnits = set.businessUnits;
    grp.sets.push(summary);
    this.handlers.onTransactionSet?.({
      interchange: ic.header,
      group: grp.header,
      setId: set.setId,
      controlNumber: set.controlNumber,
      ...(set.implementationReference !== undefined ? { implementationReference: set.implementationReference } : {}),
      segments: set.segments,
      findings: set.findings,
      ackCode,
      index: grp.sets.length,
      offsetStart: set.offsetStart,
      offsetEnd: end,
    });
  }

  /** Close the open group; `ge` is its trailer, or null when the trailer is missing. */
  private closeGroup(ge: X12Segment | null, end: number, prevEnd: number = end): void {
    const grp = this.grp;
    const ic = this.ic;
    if (!grp || !ic) return;
    if (this.set) this.closeSet(null, prevEnd);
    this.grp = null;
    const received = grp.sets.length;
    let declared: string | null = null;
    if (ge) {
      declared = ge.elements[0] ?? '';
      const ge02 = ge.elements[1] ?? '';
      const at = { offset: ge.offset };
      if (!/^\d+$/.test(declared.trim()) || Number(declared.trim()) !== received) {
        grp.findings.push(makeFinding('X12_GE_COUNT_MISMATCH', `GE01 is "${declared}" but group ${grp.header.controlNumber} has ${received} transaction sets`, at));
      }
      if (ge02 !== grp.header.controlNumber) {
        const a = numericKey(ge02);
        if (a !== null && a === numericKey(grp.header.controlNumber)) {
          grp.findings.push(makeFinding('X12_GE_CONTROL_FORMAT', `GE02 "${ge02}" equals GS06 "${grp.header.controlNumber}" only as a number`, at));
        } else {
          grp.findings.push(makeFinding('X12_GE_CONTROL_MISMATCH', `GE02 "${ge02}" does not match GS06 "${grp.header.controlNumber}"`, at));
        }
      }
    } else {
      grp.findings.push(makeFinding('X12_GE_MISSING', `Functional group ${grp.header.controlNumber} has no GE trailer`, { offset: grp.offsetStart }));
    }
    if (received === 0) grp.findings.push(makeFinding('X12_GROUP_EMPTY', `Functional group ${grp.header.controlNumber} holds no transaction set`, { offset: grp.offsetStart }));

    const groupAck = ackOf(grp.findings);
    const accepted = grp.sets.filter((s) => s.ackCode !== 'R').length;
    let ackCode: X12GroupAckCode;
    if (groupAck === 'R' || accepted === 0) ackCode = 'R';
    else if (accepted < received) ackCode = 'P';
    else if (groupAck === 'E' || grp.sets.some((s) => s.ackCode === 'E')) ackCode = 'E';
    else ackCode = 'A';
    const result: X12GroupResult = {
      header: grp.header,
      sets: grp.sets,
      declaredSetCount: declared,
      findings: grp.findings,
      ackCode,
      acceptedCount: ackCode === 'R' ? 0 : accepted,
      offsetStart: grp.offsetStart,
      offsetEnd: ge ? end : prevEnd,
    };
    ic.groups.push(result);
    this.handlers.onGroupEnd?.(result);
  }

  /** Close the open interchange; `iea` is its trailer, or null when missing. */
  private closeInterchange(iea: X12Segment | null, end: number, prevEnd: number = end): void {
    const ic = this.ic;
    if (!ic) return;
    if (this.grp) this.closeGroup(null, prevEnd);
    else if (this.orphanSet) this.orphanSet = false;
    this.ic = null;
    let declared: string | null = null;
    if (iea) {
      declared = iea.elements[0] ?? '';
      const iea02 = iea.elements[1] ?? '';
      const at = { offset: iea.offset };
      if (!/^\d+$/.test(declared.trim()) || Number(declared.trim()) !== ic.groups.length) {
        ic.findings.push(makeFinding('X12_IEA_COUNT_MISMATCH', `IEA01 is "${declared}" but interchange ${ic.header.controlNumber} has ${ic.groups.length} functional groups`, at));
      }
      if (iea02 !== ic.header.controlNumber) {
        const a = numericKey(iea02);
        if (a !== null && a === numericKey(ic.header.controlNumber)) {
          ic.findings.push(makeFinding('X12_IEA_CONTROL_FORMAT', `IEA02 "${iea02}" equals ISA13 "${ic.header.controlNumber}" only as a number`, at));
        } else {
          ic.findings.push(makeFinding('X12_IEA_CONTROL_MISMATCH', `IEA02 "${iea02}" does not match ISA13 "${ic.header.controlNumber}"`, at));
        }
      }
    } else {
      ic.findings.push(
        makeFinding('X12_IEA_MISSING', `Interchange ${ic.header.controlNumber} ends without an IEA trailer (premature end of file)`, {
          offset: prevEnd,
        }),
      );
    }
    const ackCode: X12InterchangeAckCode = ackOf(ic.findings);
    const first = ic.findings.find((f) => f.severity === 'error' && f.ta1) ?? ic.findings.find((f) => f.ta1);
    const result: X12InterchangeResult = {
      header: ic.header,
      groups: ic.groups,
      declaredGroupCount: declared,
      findings: ic.findings,
      ackCode,
      noteCode: ackCode === 'A' ? '000' : (first?.ta1 ?? '024'),
      offsetStart: ic.offsetStart,
      offsetEnd: iea ? end : prevEnd,
    };
    this.handlers.onInterchangeEnd?.(result);
  }

  private icFinding(code: 'X12_CONTROL_STRUCTURE' | 'X12_ST_OUTSIDE_GROUP', message: string, offset: number): void {
    this.ic?.findings.push(makeFinding(code, message, { offset }));
  }

  private fileFinding(f: Finding): void {
    this.handlers.onFileFinding?.(f);
  }
}
