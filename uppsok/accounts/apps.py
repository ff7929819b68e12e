from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "uppsok.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .notices import note_pending_notices

        user_logged_in.connect(note_pending_notices, dispatch_uid="uppsok.accounts.reset_notices")
