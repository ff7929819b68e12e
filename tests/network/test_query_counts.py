"""The network's list pages read in a number of queries that does not grow with their rows."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from uppsok.network.models import (
    CoreGroupMember,
    DirectoryEntry,
    FollowUp,
    Meeting,
    Resource,
    Stakeholder,
    StepEntry,
)

pytestmark = pytest.mark.django_db


def _add_rows(network, n, start):
    now = timezone.now()
    for i in range(start, start + n):
        CoreGroupMember.objects.create(network=network, name=f"P{i}", organisation_name=f"O{i}", sector="police")
        meeting = Meeting.objects.create(network=network, title=f"M{i}", starts_at=now + datetime.timedelta(days=i - 5))
        FollowUp.objects.create(network=network, meeting=meeting, what=f"F{i}", responsible_name="Kim")
        Stakeholder.objects.create(network=network, actor=f"A{i}", influence=1 + i % 5, support=1 + (i * 2) % 5)
        Resource.objects.create(network=network, title=f"R{i}", url="https://example.org/")
        DirectoryEntry.objects.create(network=network, kind="local", name=f"D{i}")
        StepEntry.objects.create(network=network, step=i % 8, part="reflektion", version=i + 1, data={"notes": "x"})


@pytest.mark.parametrize("name", ["overview", "meetings", "core_group", "stakeholders", "knowledge_bank", "directory",
                                  "members", "surveys"])
def test_list_pages_do_not_grow_with_their_rows(client_for, nora, network, name):
    c = client_for(nora)
    url = reverse(f"network:{name}", kwargs={"network_id": network.pk})
    _add_rows(network, 2, 0)
    c.get(url)
    with CaptureQueriesContext(connection) as few:
        assert c.get(url).status_code == 200
    _add_rows(network, 8, 2)
    with CaptureQueriesContext(connection) as many:
        assert c.get(url).status_code == 200
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]
