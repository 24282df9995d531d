"""Who hears about a change to a case: people by mail, sent from the outbox by background jobs."""
