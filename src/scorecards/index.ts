/** Partner scorecards: computation (./scorecard.ts), periods and ISO weeks, the ASN and invoice rules, CSV export. */
export { buildScorecard, DEFAULT_FUNCTIONAL_ACK_SLA_SECONDS, type Scorecard, type WeekFigures } from './scorecard.js';
export { parsePeriod, isoWeek, weeksOf, type Period } from './period.js';
export { scorecardCsv } from './csv.js';
