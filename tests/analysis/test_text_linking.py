"""Text links between ads of women who each have their own number: the ring's template is the
only evidence, and the stock phrases everyone writes must not stand in for it."""

from __future__ import annotations

from uppsok.analysis import analyse_ads

TEMPLATE = ("Möt {name}, en busig och varm tjej som älskar långa kvällar vid brasan. "
            "Hon bor tillfälligt i {city} hela månaden och svarar snabbt på sms. "
            "{name} har ljust lockigt hår och ett hjärta av guld. "
            "Med sin lugna röst gör hon varje träff till en höjdpunkt. Ring henne på {phone}.")
STOCK = ["Jag är diskret och tar mig tid för dig.", "Hör av dig med sms först, tack.",
         "Fräsch och trevlig tjej som gillar att umgås.", "Ingen stress, vi tar det lugnt tillsammans."]


def _independents(n: int) -> list[dict]:
    # unrelated women writing the same stock sentences, each with her own number (far apart, so
    # that they are no serial run)
    return [{"id": f"i{k}", "seen_at": f"2026-03-{1 + k % 20:02d}T12:00:00+01:00", "site": "s1",
             "city": ["Uppsala", "Lund", "Umeå"][k % 3], "profile_name": f"kvinna{k}",
             "text": " ".join(STOCK[(k + j) % 4] for j in range(3)) + f" Ring 07{3_000_000 + k * 7919:08d}."} for k in range(n)]


def test_women_of_one_ring_in_several_towns_on_one_day_are_one_group() -> None:
    ring = [{"id": f"r{k}", "seen_at": "2026-03-10T12:00:00+01:00", "site": "s1", "city": city,
             "profile_name": name, "text": TEMPLATE.format(name=name, city=city, phone=f"0739{k * 4409:06d}")}
            for k, (name, city) in enumerate([("Lina", "Stockholm"), ("Mira", "Malmö"), ("Sofi", "Göteborg")])]
    out = {r["id"]: r for r in analyse_ads(ring + _independents(60))}
    assert len({out[f"r{k}"]["group"] for k in range(3)}) == 1
    assert {"similar_text"} <= set(next(link for link in out["r0"]["links"] if link["id"] == "r1")["reasons"])


def test_stock_sentences_alone_link_nobody() -> None:
    out = analyse_ads(_independents(60))
    assert len({r["group"] for r in out}) == 60
    assert all(not r["links"] for r in out)
