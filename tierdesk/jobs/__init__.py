"""Background work: the periodic schedule, the worker and the scheduler commands."""
