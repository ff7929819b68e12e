"""The TOTP key as people type it into an authenticator app."""

from __future__ import annotations

import base64

from django_otp.plugins.otp_totp.models import TOTPDevice


def secret_b32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")
