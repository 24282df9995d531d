"""tierdesk: three-line after-sales technical support."""
