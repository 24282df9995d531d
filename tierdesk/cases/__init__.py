"""A customer's technical problem and its path through the three support lines."""
