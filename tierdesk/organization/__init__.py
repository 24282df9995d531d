"""Who works the support lines: regions, departments, roles and people, and whom they serve."""
