"""Who changed people, roles, SLA targets and calendars, failed sign-ins, and backups."""
