"""Satisfaction follow-ups after a case is resolved, and the quarterly assessment."""
