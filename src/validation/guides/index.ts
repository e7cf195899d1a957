/**
 * Implementation-guide validation of inbound X12 transaction sets, with the partner's severity
 * (`validation: { guide: error | warning | ignore }` in partners/<id>.yaml): error rejects the set (AK5 R,
 * not mapped, not delivered), warning accepts it with errors noted (AK5 E, mapped and delivered), ignore
 * skips the checks. Rules: ./rules.ts; checks: ./check.ts.
 */
import type { Partner } from '../../partners/partner.js';
import type { X12TransactionSet } from '../../formats/x12/types.js';
import { checkImplementationGuide } from './check.js';

export { checkImplementationGuide, codeListsApply, guideFor, type GuideInput } from './check.js';
export { SET_GUIDES, type SetGuide } from './rules.js';

/** What a partner's implementation-guide findings do to the set. */
export type GuideSeverity = 'error' | 'warning' | 'ignore';

/**
 * Severity of a partner file without `validation.guide`: ignore. A partner file written before these checks
 * existed keeps the acknowledgements and deliveries it had (its partner was onboarded without them); the
 * checks are turned on per partner in its file.
 */
export const DEFAULT_GUIDE_SEVERITY: GuideSeverity = 'ignore';

/**
 * Severity written into a partner file created today (`edigate partners add`): warning. Guide findings are
 * reported to the partner in the 997/999 (AK3/AK4, AK5 E) and kept for ops while the business document still
 * flows; a partner is made strict (error: the set is rejected, not delivered) once its data is known clean,
 * so no partner is cut off over a control total or a code list on its first day.
 */
export const NEW_PARTNER_GUIDE_SEVERITY: GuideSeverity = 'warning';

/** Findings that mean the set's segments are incomplete: guide checks on them would only add noise. */
const INCOMPLETE = new Set(['X12_SE_MISSING', 'X12_SET_FINDINGS_TRUNCATED']);

/**
 * Runs the implementation-guide checks on `set` with `partner`'s severity and records the result in the set
 * itself: the findings are appended to `set.findings` and `set.ackCode` becomes R (any finding at error) or
 * E (warnings on an accepted set). Nothing happens when there is no partner, the set is an acknowledgement
 * (GS01 FA), the partner does not route the set id (it is rejected as not supported anyway), the partner's
 * severity is ignore, the gateway has no guide for the set id, or the set's trailer is missing.
 * Called by the pipeline before the set is mapped, so a rejected set is never mapped nor delivered.
 */
export function applyImplementationGuide(set: X12TransactionSet, partner: Partner | undefined): void {
  if (!partner || set.group.functionalId === 'FA' || !partner.documents[set.setId]) return;
  const severity = partner.validation?.guide ?? DEFAULT_GUIDE_SEVERITY;
  if (severity === 'ignore' || set.findings.some((f) => INCOMPLETE.has(f.code))) return;
  const found = checkImplementationGuide({
    setId: set.setId, version: set.group.version, segments: set.segments, delimiters: set.interchange.delimiters, existing: set.findings,
  }, severity);
  if (found.length === 0) return;
  set.findings.push(...found);
  if (severity === 'error') set.ackCode = 'R';
  else if (set.ackCode === 'A') set.ackCode = 'E';
}
