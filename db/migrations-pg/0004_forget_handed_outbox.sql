-- Outbox rows already handed over to the queue: nothing reads them any more (each job carries what
-- its row held), and from now on a hand-over deletes its rows instead of marking them.
DELETE FROM outbox WHERE queued_at IS NOT NULL;
