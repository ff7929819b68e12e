from __future__ import annotations

import pytest

from uppsok.outreach.models import Ad, Contact, DoNotContact


@pytest.mark.django_db
def test_demo_data_is_idempotent():
    from uppsok.core.demo import create_demo_data

    create_demo_data()
    n = Ad.objects.count()
    assert n >= 300
    assert Ad.objects.exclude(group_key="").values("group_key").distinct().count() > 10
    assert Contact.objects.exists() and DoNotContact.objects.count() == 1
    create_demo_data()
    assert Ad.objects.count() == n
