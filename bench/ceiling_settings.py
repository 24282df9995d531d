"""tierdesk's settings plus one trivial page, for the benchmark's framework ceiling only.

The page `/bench/ping/` exists only when the server runs with
DJANGO_SETTINGS_MODULE=bench.ceiling_settings (as bench/run.py starts it): production
settings never route to it, so no deployment can expose it by a forgotten flag.
"""

from tierdesk.config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.ceiling_urls"
