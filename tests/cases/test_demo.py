from __future__ import annotations

import pytest

from uppsok.cases.models import Case, Referral, RoutineTemplate
from uppsok.core.demo import create_demo_data


@pytest.mark.django_db
def test_demo_is_idempotent():
    create_demo_data()
    counts = (Case.objects.count(), Referral.objects.count(), RoutineTemplate.objects.count())
    assert counts[0] >= 7 and counts[1] == 1 and counts[2] == 2
    create_demo_data()
    assert (Case.objects.count(), Referral.objects.count(), RoutineTemplate.objects.count()) == counts
