/**
 * Migration 008-duplicates: the business key of each canonical message (message type, business reference and
 * revision) to find a business document received again, and the link from a flagged duplicate to its original.
 */
export const sql = `
  ALTER TABLE messages ADD COLUMN business_key TEXT;
  ALTER TABLE messages ADD COLUMN duplicate_of TEXT;
  CREATE INDEX messages_business_key ON messages(partner_id, business_key);
  CREATE INDEX interchanges_receiver_control ON interchanges(sender_qualifier, sender_id, receiver_qualifier, receiver_id, control_number, received_at);
`;
