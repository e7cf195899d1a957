/** Migration 002-transmissions: outbound transmissions (files we send to partners, by channel). */
export const sql = `
`;
