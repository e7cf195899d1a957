/** Migration 003-delivery: delivery lanes, ordering keys, async acceptance, dismissals. */
export const sql = `
  -- Lane of the delivery: 1 high (orders, shipment confirmations, inventory adjustments), 2 normal,
  -- 3 low (inventory snapshots, reference data). Lower is claimed first.
  ALTER TABLE deliveries ADD COLUMN priority INTEGER NOT NULL DEFAULT 2;
  -- Business key (partner + purchase order number ...): a delivery is not attempted while an earlier
  -- one with the same key and destination is unfinished.
  ALTER TABLE deliveries ADD COLUMN ordering_key TEXT;
  -- HTTP 202: the destination accepted the message for later processing (state 'accepted').
  ALTER TABLE deliveries ADD COLUMN accepted_at TEXT;
  -- Location given with the 202, polled until the destination confirms or fails the message.
  ALTER TABLE deliveries ADD COLUMN status_url TEXT;
  ALTER TABLE deliveries ADD COLUMN next_poll_at INTEGER;
  -- Operator dismissal of a dead letter (state 'dismissed').
  ALTER TABLE deliveries ADD COLUMN dismissed_at TEXT;
  ALTER TABLE deliveries ADD COLUMN dismiss_reason TEXT;
  -- BullMQ backend: when this pending run was handed to Redis (NULL: not yet; the relay pushes it).
  ALTER TABLE deliveries ADD COLUMN pushed_at INTEGER;

  CREATE INDEX deliveries_claim ON deliveries(destination, state, priority, run_at);
  CREATE INDEX deliveries_ordering ON deliveries(ordering_key, destination, id) WHERE ordering_key IS NOT NULL;
  CREATE INDEX deliveries_relay ON deliveries(id) WHERE state = 'pending' AND pushed_at IS NULL;
  CREATE INDEX deliveries_polls ON deliveries(next_poll_at) WHERE state = 'accepted' AND status_url IS NOT NULL;
  CREATE INDEX deliveries_created ON deliveries(created_at);
`;
