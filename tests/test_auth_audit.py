"""What a failed login leaves behind outside the audit log: the lockout counter."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.test import Client

pytestmark = pytest.mark.django_db

LOGIN = "/konto/logga-in/"


def _stored_lockout_rows() -> str:
    rows = []
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        rows += [str(vars(row)) for row in model.objects.all()]
    return "\n".join(rows)


def test_lockout_counter_never_keeps_the_typed_name(alice):
    client = Client()
    # A person types their password into the name field; the lockout table must not keep it.
    client.post(LOGIN, {"username": "Mitt-Hemliga-Losen-2024", "password": "x"})
    client.post(LOGIN, {"username": "alice", "password": "wrong-password-here"})
    stored = _stored_lockout_rows()
    assert AccessAttempt.objects.exists()
    assert "hemliga" not in stored.casefold()
    assert "wrong-password-here" not in stored
