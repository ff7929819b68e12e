"""The persistent incremental index links a new ad to ads analysed before."""

from __future__ import annotations

from pathlib import Path

import pytest

from uppsok.analysis.index import IncrementalIndex


def test_incremental_add(tmp_path: Path) -> None:
    base = {"seen_at": "2024-03-01T20:00:00+01:00", "site": "rosasidan"}
    with IncrementalIndex(tmp_path / "i.sqlite3") as idx:
        r1 = idx.add({**base, "id": "a", "city": "Malmö", "text": "Hon är ny. Ring henne 070-123 45 67", "profile_name": "Anna"})
        r2 = idx.add({**base, "id": "b", "city": "Lund", "seen_at": "2024-03-04T20:00:00+01:00",
                      "phones": ["0701234567"], "profile_name": "Bella"})
        r3 = idx.add({**base, "id": "c", "text": "Ring 073-999 88 77"})
        assert r1["group"] == r2["group"] == "g-a" != r3["group"]
        assert r2["links"] == [{"id": "a", "reasons": ["same_phone"]}]
        assert {i["code"] for i in r2["indicators"]} >= {"shared_phone", "moves_between_cities"}
        with pytest.raises(ValueError, match="dubblett"):
            idx.add({**base, "id": "a"})
        assert idx.group_of("b") == "g-a"
