"""The address of an invitation link, for a page (from the request) or a command (from the base URL),
and how the commands print it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse


def invitation_url(token: str, *, request: HttpRequest | None = None, base_url: str = "") -> str:
    path = reverse("accounts:invitation", kwargs={"token": token})
    if request is not None:
        return request.build_absolute_uri(path)
    return (base_url or settings.UPPSOK_BASE_URL).rstrip("/") + path


def write_invitation(command: Any, username: str, link: Any, token: str, base_url: str) -> None:
    url = invitation_url(token, base_url=base_url)
    command.stdout.write(f"Inbjudan för {username} / invitation for {username}:")
    command.stdout.write(url)
    command.stdout.write(f"giltig till / valid until {link.expires_at:%Y-%m-%d %H:%M %Z}")
    if not url.startswith("http"):
        command.stderr.write("Sätt UPPSOK_BASE_URL eller --base-url för en hel adress. / "
                             "Set UPPSOK_BASE_URL or --base-url for a full address.")
