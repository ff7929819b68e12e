from typing import Any

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "uppsok.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .notices import note_pending_notices

        user_logged_in.connect(note_pending_notices, dispatch_uid="uppsok.accounts.reset_notices")

        from uppsok.core import scopes

        scopes.register_landing(system_landing)


def system_landing(request: Any) -> str | None:
    # Platform staff have no organisation: their start page is the platform's administration.
    from django.urls import reverse

    return reverse("accounts:system_home") if getattr(request.user, "is_system_admin", False) else None
