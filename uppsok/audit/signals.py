from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .log import record
from .models import AuditAction


@receiver(user_logged_in)
def _on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(user, AuditAction.LOGIN, object_type="accounts.user", object_id=str(user.pk))


@receiver(user_logged_out)
def _on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(user, AuditAction.LOGOUT, object_type="accounts.user", object_id=str(user.pk))


@receiver(user_login_failed)
def _on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    # The attempted account name is staff data the auditor needs to spot guessing; the password
    # is never recorded.
    username = str(credentials.get("username", ""))[:64]
    record(None, AuditAction.LOGIN_FAILED, object_type="accounts.user", object_id=username)
