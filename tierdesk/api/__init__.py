"""The HTTP API: JSON under /api/v1, one schema, problem+json errors."""
