from __future__ import annotations

import pytest

from uppsok.outreach.actions import blocked_identities
from uppsok.outreach.models import Ad, Contact, DoNotContact


@pytest.mark.django_db
def test_demo_data_is_idempotent():
    from uppsok.core.demo import create_demo_data

    create_demo_data()
    n = Ad.objects.count()
    assert n >= 300
    assert Ad.objects.exclude(group_key="").values("group_key").distinct().count() > 10
    assert Contact.objects.exists() and DoNotContact.objects.exists()
    # every person who said no in the demo is blocked: the answer itself made the kontaktspärr
    noes = list(Contact.objects.filter(response="no_further").select_related("ad", "organisation"))
    assert noes and all(blocked_identities(c.organisation, c.ad) for c in noes)
    blocks = DoNotContact.objects.count()
    create_demo_data()
    assert Ad.objects.count() == n
    assert DoNotContact.objects.count() == blocks
