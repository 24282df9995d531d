"""Event-management results, the quarterly assessment's figures and the role dashboards: read-only queries, exports and charts."""
