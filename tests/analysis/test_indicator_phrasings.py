"""Phrasings outreach workers meet in real ads, beyond the ones the engine was first tuned on:
each list is written here by hand (not taken from a benchmark bank), positives and look-alikes
that must stay quiet."""

from __future__ import annotations

import pytest

from uppsok.analysis.linking import Links
from uppsok.analysis.model import AdFeatures
from uppsok.analysis.text import extract_prices, text_indicators


def codes(text: str, lang: str = "sv") -> set[str]:
    return {c for c, _ in text_indicators(text, lang, None, None)}


@pytest.mark.parametrize(("text", "hourly"), [
    ("850 kr 30 min", [1700]), ("½ h 850 kr", [1700]), ("1/2 h 850 kr", [1700]), ("1/2 timme 850 kr", [1700]),
    ("850 kr/½h", [1700]), ("850 SEK for half an hour", [1700]), ("850 kr för en halvtimme", [1700]),
    ("850kr=30min", [1700]), ("30-min 850 kr", [1700]), ("850:- 30 min", [1700]), ("half-hour 850 SEK", [1700]),
    ("Kvart 400 kr", [1600]), ("100€ 30min", [2300]), ("Pris: 2000 kr i timmen, 1200 kr halvtimmen", [2000, 2400]),
    ("Pris: 850 kr (halvtimme) eller 1500 kr (timme)", [1700, 1500]),
    # a duration that introduces the next amount is not this amount's
    ("1 timme 1500 kr / 30 min 850 kr", [1500, 1700]), ("1500 kr, 30 min 800 kr", [1500, 1600]),
    ("700kr/30min 1200kr/60min", [1400, 1200]), ("1500 SEK/hour, 2800 SEK/2 hours", [1500, 1400]),
    ("Pris: 1500kr 1h, 2500kr 2h", [1500, 1250]), ("3 500 kr för 2 timmar", [1750]),
])
def test_prices_are_compared_per_hour(text: str, hourly: list[int]) -> None:
    assert extract_prices(text) == hourly


@pytest.mark.parametrize("text", [
    "Jag förstår engelska.", "Engelska går bra.", "Språk: engelska.", "Kommunicerar på engelska.",
    "Min svenska är inte så bra.", "Jag kan lite svenska.", "Förstår inte svenska.", "Sorry, no Swedish.",
    "Talar ryska och engelska.", "Pratar rumänska och lite engelska.", "I only speak english.", "Ingen svenska.",
    "Hennes svenska är inte så bra.", "Sms på engelska.", "Hör av dig på engelska.",
])
def test_swedish_ad_speaks_english(text: str) -> None:
    assert "swedish_ad_speaks_english" in codes("Hej! Jag tar emot i en lugn lägenhet. " + text)


@pytest.mark.parametrize("text", [
    "Pratar svenska och engelska.", "Språk: svenska, engelska.", "Jag har en engelsk bulldog.",
    "Jag läser engelska på universitetet.", "Engelska och svenska går bra.",
])
def test_speaking_swedish_too_is_no_indicator(text: str) -> None:
    assert "swedish_ad_speaks_english" not in codes("Hej! Jag tar emot i en lugn lägenhet. " + text)


@pytest.mark.parametrize(("text", "lang"), [
    ("Inget är förbjudet.", "sv"), ("Inga tabun.", "sv"), ("Säger ja till allt.", "sv"), ("Jag säger aldrig nej.", "sv"),
    ("Utan gummi.", "sv"), ("Öppen för allt.", "sv"), ("Ja till allt.", "sv"), ("Allt du önskar.", "sv"),
    ("Nothing is off limits.", "en"), ("No taboos.", "en"), ("I do everything.", "en"), ("Anything goes.", "en"),
    ("Whatever you want.", "en"), ("I never say no.", "en"), ("Without rubber.", "en"),
])
def test_offers_everything(text: str, lang: str) -> None:
    assert "offers_everything" in codes(text, lang)


@pytest.mark.parametrize("text", [
    "Jag gör allt för att du ska trivas, alltid med skydd.", "Vi gör allt i lugn och ro.", "Aldrig utan kondom.",
    "Inget utan skydd.", "No sex without protection.",
])
def test_care_and_safe_sex_are_not_offers(text: str) -> None:
    assert "offers_everything" not in codes(text, "en" if text.isascii() else "sv")


@pytest.mark.parametrize(("text", "lang"), [
    ("Jag blir 18 i sommar.", "sv"), ("Snart myndig.", "sv"), ("Nästan 18.", "sv"), ("Inte riktigt 18 än.", "sv"),
    ("Tar studenten i vår.", "sv"), ("18 år om två veckor.", "sv"), ("Fyller arton snart.", "sv"), ("Sjutton år.", "sv"),
    ("Almost 18.", "en"), ("I'll be 18 next month.", "en"), ("My 18th birthday is next week.", "en"),
    ("Nearly legal.", "en"), ("Only 17.", "en"), ("Seventeen years old.", "en"),
    ("Am aproape 18 ani.", "ro"), ("Sunt elevă la liceu.", "ro"), ("Am 17 ani.", "ro"),
])
def test_possible_minor_implied_youth(text: str, lang: str) -> None:
    assert "possible_minor" in codes(text, lang)


@pytest.mark.parametrize(("text", "lang"), [
    ("Ung tjej på 24 år.", "sv"), ("Jag är lärare på gymnasiet.", "sv"), ("Jobbar som lärare på högstadiet.", "sv"),
    ("I work as a teacher at a school during the day.", "en"), ("Ring mellan 17 och 22.", "sv"), ("Pris 1700 kr.", "sv"),
    ("Young at heart.", "en"), ("Profesoară la liceu.", "ro"),
])
def test_possible_minor_quiet_for_adults(text: str, lang: str) -> None:
    assert "possible_minor" not in codes(text, lang)


def test_romanian_first_person_ad_with_one_english_she_is_not_third_person() -> None:
    text = ("Bună seara! Mă numesc Lisa, sunt o fată zâmbitoare de 22 ani. Pot veni și la hotelul tău. "
            "Bondage: she is tied up, a third person is always present.")
    assert "third_person" not in codes(text, "ro")


def _ad(ad_id: str, day: int, site: str, city: str, name: str, phone: str) -> AdFeatures:
    return AdFeatures(id=ad_id, seen=1_772_000_000 + day * 86400.0, date=f"2026-03-{day:02d}", site=site, city=city,
                      profile=f"{site}\x1f{name.casefold()}", phones=(phone,), prices=(), language="sv", indicators=[])


def test_a_woman_on_two_sites_moving_town_is_a_move() -> None:
    links = Links([_ad("a1", 1, "s1", "Malmö", "Lina_k", "+46701111111"),
                   _ad("a2", 5, "s2", "Lund", "Lina_k", "+46701111111")], None)
    assert set(links.moves) == {0, 1}


def test_a_spelling_of_the_same_town_is_no_move() -> None:
    links = Links([_ad("a1", 1, "s1", "Stockholm", "Lina_k", "+46701111111"),
                   _ad("a2", 5, "s1", "Sthlm", "Lina_k", "+46701111111")], None)
    assert links.moves == {}


def test_two_women_sharing_a_number_are_the_spread_of_a_group_not_a_move() -> None:
    links = Links([_ad("a1", 1, "s1", "Malmö", "Lina_k", "+46701111111"),
                   _ad("a2", 1, "s1", "Lund", "Sara_b", "+46701111111")], None)
    assert links.moves == {}
