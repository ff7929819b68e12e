"""The append-only audit trail.

Rows record who did what to which object, never the personal data itself: the object is named by
its type and id only, so the log can be read by the data protection officer without exposing
anyone. Updates and deletes are refused in Python and by database triggers (see migration 0002).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    VIEW = "view", _("Visning")
    CREATE = "create", _("Skapande")
    CHANGE = "change", _("Ändring")
    DELETE = "delete", _("Radering")
    EXPORT = "export", _("Export")
    LOGIN = "login", _("Inloggning")
    LOGOUT = "logout", _("Utloggning")
    LOGIN_FAILED = "login_failed", _("Misslyckad inloggning")
    PERMISSION_DENIED = "permission_denied", _("Nekad åtkomst")
    # A look-up of a person by phone number, alias or profile: logged like a view, never with the term.
    SEARCH = "search", _("Sökning")
    TWO_FACTOR_FAILED = "two_factor_failed", _("Felaktig engångskod")


class AppendOnlyError(Exception):
    pass


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("Granskningsloggen kan inte ändras. / The audit log cannot be changed.")

    def delete(self):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("Granskningsloggen kan inte raderas. / The audit log cannot be deleted.")


class AuditEvent(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Plain ids rather than foreign keys: deleting a user or organisation must never delete or
    # rewrite their trail.
    actor_id = models.UUIDField(null=True, blank=True, db_index=True)
    actor_username = models.CharField(max_length=150, blank=True)
    organisation_id = models.UUIDField(null=True, blank=True)
    # The network whose material the event concerns (network pages, refusals on them), if any.
    network_id = models.UUIDField(null=True, blank=True)
    action = models.CharField(max_length=24, choices=AuditAction.choices)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    # A short code-like note (e.g. a capability name or export format), never free text about a person.
    detail = models.CharField(max_length=200, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["organisation_id", "-at"]),
            models.Index(fields=["network_id", "-at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_type}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not self._state.adding:
            raise AppendOnlyError("Granskningsloggen kan inte ändras. / The audit log cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("Granskningsloggen kan inte raderas. / The audit log cannot be deleted.")
