"""Signed HTTP callbacks to other systems when cases change, with retries and a delivery log."""
