"""The code an authenticator app shows for a secret (as allauth computes it)."""

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

PERIOD = 30


def current_code(secret: str) -> str:
    """The code of the current 30-second step; waits out the last second of a step, so that
    the code is still valid when the server checks it."""
    if PERIOD - time.time() % PERIOD < 1.5:
        time.sleep(1.6)
    return format_hotp_value(hotp_value(secret, int(time.time()) // PERIOD))


def wrong_code(secret: str) -> str:
    right = current_code(secret)
    return f"{(int(right) + 1) % 1_000_000:06d}"
