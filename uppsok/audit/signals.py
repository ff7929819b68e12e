from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .log import keyed_digest, record, record_for_account
from .models import AuditAction


@receiver(user_logged_in)
def _on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record_for_account(user, AuditAction.LOGIN, user)


@receiver(user_logged_out)
def _on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record_for_account(user, AuditAction.LOGOUT, user)


@receiver(user_login_failed)
def _on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    # People type their password into the name field: a known account is named by its id, anything
    # else only by a keyed digest the auditor can check a guess against. The password is never kept.
    typed = str(credentials.get("username", ""))
    account = get_user_model().objects.filter(username__iexact=typed).only("pk").first() if typed else None
    if account is not None:
        record_for_account(None, AuditAction.LOGIN_FAILED, account)
    else:
        digest = keyed_digest(typed, purpose="login_username")
        record(None, AuditAction.LOGIN_FAILED, object_type="login.unknown_name", object_id=digest)
