"""Articles that keep what solved a case, trainings, and search that works in Chinese."""
