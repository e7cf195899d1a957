/**
 * What the pipeline hands a format's flow (src/intake/edifact-flow.ts, csv-flow.ts) once the raw bytes
 * are archived, the file recorded and its content found new: the flow reads the archived file, records
 * interchanges, messages, findings and acknowledgements, enqueues deliveries HELD, and at the end
 * writes the acknowledgements, releases the file's deliveries and finishes the file, as the X12 path does.
 */
import type { Logger } from 'pino';
import type { IngestSummary, PipelineDeps, ReceivedFile } from '../pipeline.js';
import type { FileStatus } from '../store/files.js';
import type { InterchangeStatus } from '../store/interchanges.js';
import type { Finding } from '../validation/finding.js';

export interface FlowContext {
  deps: PipelineDeps;
  now: () => Date;
  /** True once the gateway is stopping (the flow then abandons the file; it is processed again at start). */
  stopping: () => boolean;
  fileId: number;
  file: ReceivedFile;
  archived: { sha256: string; size: number; path: string };
  correlationId: string;
  receivedAt: Date;
  log: Logger;
  summary: IngestSummary;
  /** Finishes the file row (status, format, detail) and logs the outcome. */
  finishFile: (status: FileStatus, format: string | null, detail?: string | null) => IngestSummary;
  /** Writes the acknowledgements recorded for the file (outbox/<partner>/ or the partner's channel). */
  writeAcks: (fileId: number, summary: IngestSummary, log: Logger) => void;
}

const SUMMARY_FINDINGS_MAX = 1000;
export const SUMMARY_LIST_MAX = 1000;

/** Adds a finding to the summary (capped like the X12 path; all are in the store). */
export function noteFinding(summary: IngestSummary, f: Finding): void {
  if (summary.findings.length < SUMMARY_FINDINGS_MAX) summary.findings.push({ code: f.code, severity: f.severity, level: f.level, message: f.message });
  else summary.findingsOmitted = (summary.findingsOmitted ?? 0) + 1;
}

/** File outcome over its interchanges' outcomes (same rule as X12). */
export function fileStatusOf(counts: Map<InterchangeStatus, number>): FileStatus {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const only = (...ok: InterchangeStatus[]) => [...counts.keys()].every((k) => ok.includes(k));
  if (total === 0) return 'unreadable';
  if (only('accepted')) return 'accepted';
  if (only('duplicate')) return 'duplicate';
  if (only('unknown_partner')) return 'unknown_partner';
  if (only('rejected', 'duplicate', 'unknown_partner')) return 'rejected';
  if (only('accepted', 'accepted_with_errors')) return 'accepted_with_errors';
  return 'partially_accepted';
}

/** The business reference of a canonical payload (PO, shipment, invoice number...), for search. */
export function businessReferenceOf(payload: Record<string, unknown>): string | null {
  for (const k of ['purchaseOrderNumber', 'shipmentId', 'invoiceNumber', 'receiptNumber', 'reportNumber', 'reference']) {
    const v = payload[k];
    if (typeof v === 'string' && v) return v;
  }
  return null;
}
