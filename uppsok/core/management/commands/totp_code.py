from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Skriver ut aktuell TOTP-kod för en demoanvändare. Endast i utvecklingsläge."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        # A way past the second factor must never exist in production.
        if not settings.UPPSOK_DEMO_MODE:
            raise CommandError("Endast i utvecklingsläge. / Development mode only.")
        device = TOTPDevice.objects.filter(user__username=options["username"], confirmed=True).first()
        if device is None:
            raise CommandError("Ingen bekräftad TOTP-enhet för den användaren. / No confirmed TOTP device.")
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
        self.stdout.write(str(code).zfill(device.digits) + f"  (giltig i ~{device.step - int(time.time()) % device.step}s)")
