/** Migration 005-sftp: SFTP users' sessions and pickups. */
export const sql = `
`;
