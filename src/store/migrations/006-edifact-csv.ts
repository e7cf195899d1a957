/** Migration 006-edifact-csv: EDIFACT and CSV intake. */
export const sql = `
`;
