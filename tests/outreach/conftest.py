from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from uppsok.outreach import actions
from uppsok.outreach.models import Ad

HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>'


@pytest.fixture
def make_ad(org_a):
    def make(org=None, actor=None, **data):
        base = {"title": "Ny i stan", "text": "Hon är ny i stan och gör allt, även utan kondom. 500 kr/h.",
                "phone": "070-123 45 67", "city": "Malmö", "site": "rosasidan.ws", "profile_name": "Anna",
                "url": f"https://rosasidan.ws/ad/{Ad.objects.count()}"}
        base.update(data)
        ad, _ = actions.do_capture_ad(actor, org or org_a, base)
        return ad

    return make


@pytest.fixture
def yesterday():
    return timezone.now() - timedelta(days=1)
