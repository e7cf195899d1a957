import { GatewayError } from '../errors.js';

/**
 * The `from`/`to` query parameters of the list routes as stored-time bounds: `from` inclusive, `to` exclusive, both
 * ISO-8601 UTC as in every *_at column. A date alone as `to` means the whole of that day (`to=2026-11-30` includes
 * the 30th). Dates that do not exist (2026-13-45, 2026-02-30) are refused.
 * @throws GatewayError EDIGATE_INVALID_REQUEST naming the parameter.
 */
export function timeRange(from?: string, to?: string): { from?: string; to?: string } {
  const check = (name: string, v: string): Date => {
    const day = v.slice(0, 10);
    const d = new Date(`${day}T00:00:00.000Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== day) throw new GatewayError('EDIGATE_INVALID_REQUEST', `${name} "${v}" is not a real date`);
    return d;
  };
  const out: { from?: string; to?: string } = {};
  if (from !== undefined) { check('from', from); out.from = from; }
  if (to !== undefined) {
    const d = check('to', to);
    out.to = to.length === 10 ? new Date(d.getTime() + 86_400_000).toISOString().slice(0, 10) : to;
  }
  return out;
}
