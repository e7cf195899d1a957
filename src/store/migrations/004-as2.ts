/** Migration 004-as2: AS2 messages and MDNs. */
export const sql = `
`;
