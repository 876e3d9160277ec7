-- When the current saga step began. The step timeout sweeper measures a step's deadline from when the broker
-- acknowledged the step's commands (outbox_message.sent_at) instead of from the step's start, so an outage of
-- our own broker delays orders instead of cancelling them (OrderRepository.STEP_IS_DUE). Nullable: terminal
-- orders have no step, and a replica of the previous version still writes rows without it (the sweeper then
-- uses updated_at, which is what this column is filled from here).
ALTER TABLE customer_order ADD COLUMN step_started_at timestamptz;
UPDATE customer_order SET step_started_at = updated_at WHERE step_deadline IS NOT NULL;
