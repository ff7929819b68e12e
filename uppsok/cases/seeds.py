"""Seed data: the exploitation taxonomy (SPEC §2) and the two example routines (seeds 002, 004)."""

from __future__ import annotations

from typing import Any

# code, Swedish name, IOM Human Trafficking Case Data Standard "type of exploitation" (blank = no match)
EXPLOITATION_TYPES: list[tuple[str, str, str]] = [
    ("trafficking-adult", "Misstänkt människohandel – vuxen", "Sexual exploitation"),
    ("trafficking-child", "Misstänkt människohandel – barn", "Sexual exploitation"),
    ("prostitution", "Prostitution / sex mot ersättning", ""),
    ("sugar-dating", "Sugardejting", ""),
    ("sex-self-harm", "Sex som självskadebeteende", ""),
    ("labour", "Annan exploatering – arbetskraft", "Forced labour"),
    ("begging", "Annan exploatering – tiggeri", "Forced begging"),
    ("crime", "Annan exploatering – brottslig verksamhet", "Forced criminal activity"),
    ("domestic", "Annan exploatering – hushållsarbete", "Domestic servitude"),
    ("other", "Annan exploatering", "Other"),
]

# Seed 004 step 7, the Helsingborg example ("Helsingborgs lokala rutiner").
HELSINGBORG_ROUTINE: dict[str, Any] = {
    "name": "Helsingborgs lokala rutiner (exempel)",
    "goal": (
        "Att säkerställa att utsatta erbjuds skydd och stöd på ett förutsättningslöst, rättighetsbaserat "
        "sätt när de påträffas."
    ),
    "steps": [
        ("Ring polisen vid misstanke", "Polisen – Fokusgruppen",
         "1:a hand Fokusgruppen 0738216384, 2:a hand 114 14, i akuta fall 112; "
         "fokusgruppen.lpo-helsingborg@polisen.se", "Direkt vid misstanke", 1),
        ("Dokumentera incidenten", "Den som påträffat personen", "", "Samma dag", 2),
        ("Uppföljning och utvärdering i nätverket", "Nätverket mot människohandel och prostitution",
         "Samordnaren; helsingborg@fralsningsarmen.se", "Vid nästa nätverksmöte", 60),
    ],
}

# Seed 002 "Socialtjänstens ansvar" (Stockholm): the chain of responsibility.
STOCKHOLM_CHAIN: dict[str, Any] = {
    "name": "Stockholms ansvarskedja (socialtjänsten)",
    "goal": "Identifiering → akut skydd → inledande stöd → långsiktigt stöd → tryggt återvändande.",
    "steps": [
        ("Identifiering: bedöm polisanmälan och ta emot ansökan eller orosanmälan", "Socialtjänsten",
         "Socialtjänstens mottagning", "Vid misstanke", 3),
        ("Akut skydd: skyddsbedömning, risk för fortsatt våld, beslut om placering", "Socialtjänsten",
         "Socialjouren utanför kontorstid (112, begär social beredskap)", "Omedelbart", 1),
        ("Inledande stöd: inled utredning av behov av insatser", "Socialtjänsten",
         "Handläggare; UD för barn utan hemvist i Sverige", "Inom två veckor", 14),
        ("Långsiktigt stöd: följ upp planering och insatser", "Socialtjänsten", "Ansvarig handläggare",
         "Löpande", 90),
        ("Tryggt återvändande: kontakta regionkoordinatorn om IOM:s återvändandeprogram", "Regionkoordinator och IOM",
         "Regionkoordinatorn mot prostitution och människohandel; riskbedömning bifogas ansökan",
         "När personen vill återvända", None),
    ],
}

ROUTINE_SEEDS = (HELSINGBORG_ROUTINE, STOCKHOLM_CHAIN)


def seed_exploitation_types(model: Any) -> None:
    for order, (code, name, iom) in enumerate(EXPLOITATION_TYPES):
        model.objects.update_or_create(code=code, defaults={"name": name, "iom_category": iom, "sort_order": order})


def seed_routines(network: Any) -> list[Any]:
    """Give a network the two example routines (idempotent)."""
    from .models import RoutineStep, RoutineTemplate

    made = []
    for seed in ROUTINE_SEEDS:
        routine, created = RoutineTemplate.objects.get_or_create(
            network=network, name=seed["name"], defaults={"goal": seed["goal"]}
        )
        if created:
            RoutineStep.objects.bulk_create(
                RoutineStep(routine=routine, order=i + 1, title=t, actor=a, how_to_reach=h, when=w, due_days=d)
                for i, (t, a, h, w, d) in enumerate(seed["steps"])
            )
        made.append(routine)
    return made
