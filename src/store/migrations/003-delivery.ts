/** Migration 003-delivery: delivery lanes, ordering keys, async acceptance, dismissals. */
export const sql = `
`;
