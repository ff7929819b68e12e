"""An analysis reads and writes its ads in lists of ids (IN lists under the databases' parameter
limits, reads of ads in parts): the result must not depend on where the lists are cut."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from uppsok.outreach import actions, analysis_adapter
from uppsok.outreach.models import Ad, AdIndicator, AdLink


def _rows(prefix: str) -> list[dict]:
    now = timezone.now()
    rows = []
    for n in range(24):
        rows.append({
            "id": f"{prefix}{n}", "seen_at": now - timedelta(hours=n), "site": "rosasidan.ws",
            "url": f"https://rosasidan.ws/{prefix}/{n}", "city": "Malmö" if n % 2 else "Lund",
            "profile_name": f"Tjej{n % 5}", "title": "Ny i stan",
            "text": f"Hej, ring 070-{n % 4:03d} 12 34. Hon gör allt du vill. Tjej{n % 5} väntar.",
            "price": "700 kr/h" if n % 3 == 0 else "2000 kr/h", "nationality": "", "age": None,
            "phones": [],
        })
    # not in time order: the analysis must put them in its own order however the ids are cut
    random.Random(7).shuffle(rows)
    return rows


def _result(org) -> tuple:
    ads = {a.pk: a.external_id[1:] for a in Ad.objects.filter(organisation=org)}
    links = sorted((ads[a], ads[b], tuple(r)) for a, b, r in
                   AdLink.objects.filter(organisation=org).values_list("from_ad", "to_ad", "reasons"))
    inds = sorted((ads[a], c, e) for a, c, e in
                  AdIndicator.objects.filter(organisation=org).values_list("ad", "code", "evidence"))
    groups = sorted(sorted(ads[a] for a in Ad.objects.filter(organisation=org, group_key=k).values_list("pk", flat=True))
                    for k in set(Ad.objects.filter(organisation=org).values_list("group_key", flat=True)) if k)
    return links, inds, groups


def test_cut_id_lists_give_the_same_analysis(org_a, org_b, monkeypatch):
    actions.do_import_ads(None, org_a, _rows("a"), analyse_now=True)
    monkeypatch.setattr(analysis_adapter, "IDS_PER_QUERY", 3)
    actions.do_import_ads(None, org_b, _rows("b"), analyse_now=True)
    a, b = _result(org_a), _result(org_b)
    assert a[0] and a[1] and a[2]  # links, indicators and groups to compare
    assert a == b
