"""Mail to the support address: new cases, replies threaded into their case, and a triage queue."""
