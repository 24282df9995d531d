"""The signature receivers check: HMAC-SHA256 of "<unix time>.<body>" with the shared secret.

The header reads `X-Tierdesk-Signature: t=1767225600,v1=<hex>`. Signing the time with the body
lets a receiver refuse replays older than a few minutes; `v1` leaves room for a second scheme.
"""

import hashlib
import hmac

SIGNATURE_HEADER = "X-Tierdesk-Signature"


def sign(*, secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode("ascii") + b"." + body
    digest = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(*, secret: str, header: str, body: bytes) -> bool:
    """What a receiver does; tierdesk's tests use it to check what was sent."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    expected = sign(secret=secret, timestamp=timestamp, body=body).rsplit("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))
