"""The quarterly assessment of table 1: the supervisor's review, comments and sign-off; and the record of which reports were mailed."""
