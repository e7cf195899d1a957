/**
 * `edigate validate FILE` for an EDIFACT file: parse and validate only, and show the CONTRL that would be
 * sent for each interchange (our control reference 1, 2... and the current time).
 */
import { readFileSync } from 'node:fs';
import { parseEdifactBuffer } from '../formats/edifact/reader.js';
import { buildContrl, contrlHasErrors } from '../acks/contrl.js';
import type { Finding } from '../validation/finding.js';

/**
 * @returns the report printed by the command and its exit status (accepted, rejected or
 *   accepted_with_errors: some message rejected, unreadable: no interchange).
 */
export function validateEdifactFile(path: string, now = new Date()): { status: string; report: Record<string, unknown>; acks: Array<{ kind: string; text: string }> } {
  const r = parseEdifactBuffer(readFileSync(path));
  const findings: Finding[] = [...r.fileFindings, ...r.interchanges.flatMap((i) => [...i.findings, ...i.groups.flatMap((g) => g.findings)]), ...r.messages.flatMap((m) => m.findings)];
  const acks = r.interchanges.filter((i) => i.header.enveloped).map((ic, n) => ({ kind: 'CONTRL', text: buildContrl(ic, { controlReference: String(n + 1), messageReference: String(n + 1), now }) }));
  const status = r.interchanges.length === 0 ? 'unreadable'
    : r.interchanges.some((i) => i.action === '4') ? 'rejected'
      : r.interchanges.some(contrlHasErrors) ? 'accepted_with_errors' : 'accepted';
  const report = {
    status, format: 'edifact',
    interchanges: r.interchanges.map((i) => ({
      controlReference: i.header.controlReference, sender: `${i.header.senderId}${i.header.senderQualifier ? ':' + i.header.senderQualifier : ''}`, syntax: `${i.header.syntaxId}:${i.header.syntaxVersion}`,
      action: i.action, syntaxError: i.syntaxError ?? null,
      messages: [...i.messages, ...i.groups.flatMap((g) => g.messages)].map((m) => ({ reference: m.reference, type: m.type, action: m.action })),
    })),
    findings,
    acks,
  };
  return { status, report, acks };
}
