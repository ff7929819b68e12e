"""The Stad för stad process as data: each step, its parts and each part's fields, in the handbook's
own words. Pages, forms, versions and comparisons are built from this table, so a template is
changed here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

YESNO = "yesno"
TEXT = "text"
SCORE = "score"  # 1–5 with a comment

# Readiness (step 0): seven criteria scored 1–5. The handbook: up to 20 points, not ready yet;
# above 20, go on (and keep working on the low criteria).
READINESS_READY_ABOVE = 20


@dataclass(frozen=True)
class Field:
    key: str
    label: Any
    kind: str = TEXT
    help: Any = ""


@dataclass(frozen=True)
class Part:
    slug: str
    title: Any
    intro: Any = ""
    fields: tuple[Field, ...] = ()
    # a yes/no statement may carry "our interpretation" beside it (step 0, direction)
    with_interpretation: bool = False


@dataclass(frozen=True)
class Step:
    number: int
    title: Any
    purpose: Any
    parts: tuple[Part, ...] = field(default_factory=tuple)

    def part(self, slug: str) -> Part | None:
        return next((p for p in self.parts if p.slug == slug), None)


REFLECTION = Part(
    "reflektion",
    _("Reflektion"),
    _("Vad har ni lärt er i steget, vad var svårt och vad tar ni med er vidare?"),
    (Field("notes", _("Reflektionsanteckningar")),),
)

ENGAGEMENT = Part(
    "engagemang",
    _("Engagemang – vi förstår att …"),
    _("Utan engagemang är det svårt att starta ett initiativ mot människohandel och prostitution och ännu "
      "svårare att hålla ut. Ta ställning till påståendena."),
    tuple(Field(f"s{i}", text, YESNO) for i, text in enumerate((
        _("Starta ett initiativ mot människohandel och prostitution kommer att vara svårt och vi vill ändå göra det."),
        _("Det kommer vara ett långsiktigt arbete eventuellt med misslyckanden och bakslag under vägen. Vi vill "
          "ändå vara med."),
        _("Jag / vi inte kan göra arbetet ensam / ensamma."),
        _("Skapa framgång i arbetet på lång sikt innebär inte att hitta en teknisk lösning på problemet, utan "
          "kräver ett flexibelt/adaptivt förhållningssätt där en behöver justera och utvecklas hela tiden."),
        _("Målet med Stad för stad-processen är att skapa förutsättningar för förändring tillsammans i gemenskap "
          "med andra som inte är som mig. Det betyder att jag måste utmana mina egna ramar och min egen förståelse "
          "för att lyssna och lära av andra."),
        _("Vi kommer att få ut det vi investerar i Stad för stad-processen. Vi är en del av lösningen genom att vi "
          "bidrar med kunskap och expertis på ett positivt sätt."),
        _("Jag / vi gör det här, inte bara för att det är mitt / vårt jobb, utan för att vi tror på ändamålet och "
          "staden."),
    ), start=1)),
)

DIRECTION = Part(
    "riktning",
    _("Riktning – vi vill arbeta för …"),
    _("Stämmer processens målbild och delmål med vad ni vill göra? Skriv hur ni tolkar varje mål i dag."),
    tuple(Field(f"g{i}", text, YESNO) for i, text in enumerate((
        _("Ökad förståelse för människohandel och prostitution bland lokala nyckelaktörer."),
        _("Ökad insikt om lokala förutsättningar och utmaningar."),
        _("Etableringen av ett nätverk eller samverkan mellan relevanta lokala aktörer i frågan."),
        _("Utarbetandet av en lokal och gemensam samverkansplan."),
        _("Utarbetandet av en lokal rutin för att agera i enskilda ärenden."),
    ), start=1)),
    with_interpretation=True,
)

TOWN = Part(
    "staden",
    _("Staden – era unika förutsättningar"),
    _("Människohandeln måste bekämpas stad för stad, och er stad har unika möjligheter och utmaningar."),
    (
        Field("opportunities", _("Vad är de största möjligheterna för vår stad utifrån arbetet vi vill påbörja?")),
        Field("use", _("Hur kan vi använda våra unika möjligheter?")),
        Field("challenges", _("Vilka är vår stads största utmaningar som kan komma att påverka detta arbete? "
                              "(Interna och gemensamma)")),
    ),
)

READINESS = Part(
    "beredskap",
    _("Är ni redo? – bedömning 1–5"),
    _("1 = inte alls redo, 5 = så redo en kan bli. Skriv under kommentar varför ni svarat som ni gjort och hur "
      "hinder kan bemötas. Upp till 20 poäng: ni är ännu inte redo – arbeta fram en plan för varje delfråga. Över "
      "20 poäng: ni kan fortsätta, men var uppmärksamma på de låga delfrågorna."),
    (
        Field("need", _("Identifiera och definiera behov"), SCORE,
              _("Har ni tydligt identifierat och definierat behovet bakom önskan att påbörja processen? Är "
                "processen lämplig för att åstadkomma det ni önskar se?")),
        Field("political", _("Politisk vilja"), SCORE,
              _("Finns det en politisk vilja att utföra arbetet som processen innebär?")),
        Field("organisational", _("Organisatorisk vilja"), SCORE,
              _("Finns det en organisatorisk vilja att utföra arbetet?")),
        Field("participants", _("Deltagarnas vilja"), SCORE,
              _("Finns det en uttalad vilja hos de föreslagna deltagarna i kärngruppen att utföra arbetet?")),
        Field("period", _("Perioden"), SCORE,
              _("Under hur lång tid avser ni utföra arbetet och när? Är perioden lämplig för alla organisationer "
                "som ni önskar har med i kärngruppen?")),
        Field("resources", _("Tid, resurser och personal"), SCORE,
              _("Har deltagarna fått ett tydligt mandat att vara med? Har det avsatts tillräckligt med tid och "
                "resurser?")),
        Field("sustainability", _("Hållbarhet"), SCORE,
              _("Finns det förutsättningar för ett långsiktigt och hållbart arbete? Finns det enheter eller "
                "grupper där arbetet kan integreras vid projektets slut?")),
    ),
)

COURAGE = Part(
    "modig-miljo",
    _("Hur skapar vi en modig miljö?"),
    _("Vi behöver känna oss sedda, hörda och uppskattade. Bestäm tillsammans vilken miljö ni behöver för att "
      "fullt ut kunna delta och bidra."),
    (
        Field("free", _("Vad behöver du för att känna dig fri och trygg att bidra med dina tankar och idéer?")),
        Field("obstacles", _("Vad skulle kunna komma i vägen för att du ska kunna delta fullt ut?")),
        Field("culture", _("Hur skapar vi en kultur där de här byggstenarna finns med?")),
    ),
)

WHAT_IF = Part(
    "vad-skulle-handa",
    _("Vad skulle hända om …"),
    _("Hur skulle er kommun reagera om någon i er stad i dag upptäckte att en kvinna säljer sex på ett hotell, "
      "att en ungdom träffar en så kallad sugardaddy, att en man arbetar utan lön och sover i restaurangens källare, "
      "att bärplockare från ett annat land inte får ersättning, eller att en kvinna städar kontor för 50 kr i timmen?"),
    (
        Field("mechanisms", _("Vilka mekanismer aktualiseras?")),
        Field("who", _("Vem skulle göra vad?")),
        Field("wanted", _("Stämmer det överens med vad ni skulle vilja se som resultat?")),
        Field("gap", _("På vilket sätt skiljer sig dagsläget från den ideala bilden?")),
    ),
)

DEATH_TRAP = Part(
    "dodsfallan",
    _("Dödsfällan"),
    _("Föreställ er att ni är fem år fram i tiden. Det gemensamma initiativet har misslyckats och arbetet håller "
      "på att försvinna."),
    (
        Field("wrong", _("Vad gick fel?")),
        Field("dropped", _("Vad valdes bort?")),
        Field("happened", _("Vad hände/hände inte? (gjordes/gjordes inte)")),
        Field("turn", _("Var började det gå i fel riktning?")),
    ),
)

STEPS: tuple[Step, ...] = (
    Step(0, _("Borde vi börja? Hur börjar vi?"),
         _("Utforska om processen är relevant för er: engagemang, riktning, kärngrupp, staden och om ni är redo."),
         (ENGAGEMENT, DIRECTION, TOWN, READINESS, REFLECTION)),
    Step(1, _("Identifiera utgångspunkten"),
         _("Lär känna varandra i kärngruppen, skapa en modig miljö och se hur staden reagerar i dag."),
         (COURAGE, WHAT_IF, DEATH_TRAP, REFLECTION)),
    Step(2, _("Kartlägg problembilden"),
         _("Kartläggningsplan, escortsidornas logg och sektorsenkäten."), (REFLECTION,)),
    Step(3, _("Intressentanalys"), _("Aktörer, inflytande och stöd, nivåer av samverkan."), (REFLECTION,)),
    Step(4, _("Kunskapsbank"), _("Resurser och hur ni håller er uppdaterade."), (REFLECTION,)),
    Step(5, _("Samordning och nätverk"),
         _("Samordningsfunktion, rollbeskrivningar och nätverkets event."), (REFLECTION,)),
    Step(6, _("Samverkansplan"),
         _("Gemensam utgångspunkt, SWOT och samverkansplanen med årliga mål."), (REFLECTION,)),
    Step(7, _("Rutin för enskilda ärenden och utvecklingsnivåer"),
         _("Nätverkets rutin för enskilda ärenden och var nätverket står i sin utveckling."), (REFLECTION,)),
)


def step(number: int) -> Step | None:
    return STEPS[number] if 0 <= number < len(STEPS) else None


def readiness_total(data: dict[str, Any]) -> int | None:
    """The readiness score's total, or None until every criterion is scored."""
    scores = [data.get(f.key) for f in READINESS.fields]
    if any(not isinstance(s, int) for s in scores):
        return None
    return sum(scores)  # type: ignore[arg-type]


def readiness_verdict(total: int | None) -> str:
    if total is None:
        return str(_("Alla sju delfrågor behöver en poäng innan summan räknas."))
    if total > READINESS_READY_ABOVE:
        return str(_("Över 20 poäng: ni kan fortsätta arbetet. Var uppmärksamma på delfrågorna med låg poäng."))
    return str(_("20 poäng eller mindre: ni är ännu inte redo. Gå tillbaka till varje delfråga och arbeta fram en "
                 "plan för att förbättra era förutsättningar."))


def low_criteria(data: dict[str, Any], below: int = 3) -> list[Any]:
    """The readiness criteria scored below `below`, which the network should work on first."""
    return [f.label for f in READINESS.fields if isinstance(data.get(f.key), int) and data[f.key] < below]


# Recruiting the core group (step 0): the basic criteria every candidate should meet, then the desirable.
CORE_CRITERIA: tuple[tuple[str, Any, bool], ...] = (
    ("works_with", _("Arbetar med frågor som rör/kan relatera till människohandel och prostitution"), True),
    ("unit", _("Finns på en enhet som är/kan bli ianspråktagen i frågan, förebyggande eller operativt"), True),
    ("mandate", _("Har delegerats ansvar för att vara med i kärngruppen och får avsätta tid"), True),
    ("relations", _("Bra på att bygga relationer och kommunicera internt och externt"), False),
    ("problem_solving", _("Bra på problemlösning"), False),
    ("positive", _("Positiv inställning"), False),
)
CORE_GROUP_MIN = 4
CORE_GROUP_MAX = 8


# The sector survey (step 2): six indicator categories of two statements each, answered 1–5 (1 =
# never, 5 = very often) by an actor such as a hotel or a nail salon; a category's score is the
# average of its two statements.
SURVEY_MIN, SURVEY_MAX = 1, 5
SURVEY_CATEGORIES: tuple[tuple[str, Any, tuple[tuple[str, Any], ...]], ...] = (
    ("general", _("Generella indikatorer för människohandel"), (
        ("general_1", _("Vi träffar på personer som upplevs begränsade/kontrollerade av andra, t.ex. att någon annan "
                        "har deras pass, kreditkort för betalning eller sköter bokningar.")),
        ("general_2", _("Vi träffar på personer som verkar rädda, desorienterade och/eller sårbara.")),
    )),
    ("sexual", _("Indikatorer sexuell exploatering"), (
        ("sexual_1", _("Vi träffar på personer som vi misstänker befinner sig i prostitution eller annan form av "
                       "sexuell exploatering.")),
        ("sexual_2", _("Vi träffar på personer som vi misstänker köper sexuella tjänster.")),
    )),
    ("begging", _("Tiggeri"), (
        ("begging_1", _("Vi träffar på personer som befinner sig i tiggeri.")),
        ("begging_2", _("Vi har noterat organisering kring tiggeri, t.ex. kring resor, placering, pengar eller andra "
                        "föremål.")),
    )),
    ("labour", _("Indikatorer arbetsrelaterad exploatering"), (
        ("labour_1", _("Vi träffar på personer som verkar arbeta under ovärdiga arbetsförhållanden, t.ex. dåliga "
                       "villkor, långa arbetstider, saknad skyddsutrustning, hot och våld, begränsad rörelsefrihet.")),
        ("labour_2", _("Vi träffar på personer som verkar arbeta för väldigt liten eller obefintlig lön, t.ex. tak över "
                       "huvudet, cigaretter eller alkohol som betalning.")),
    )),
    ("criminal", _("Kriminell exploatering"), (
        ("criminal_1", _("Vi träffar på sårbara personer som säljer droger och/eller misstänkt stulna föremål.")),
        ("criminal_2", _("Vi träffar på sårbara personer i miljöer där vi misstänker att de kan utnyttjas för "
                         "kriminella aktiviteter.")),
    )),
    ("domestic", _("Hushållsarbete"), (
        ("domestic_1", _("Vi träffar på personer som arbetar i någons hushåll, t.ex. hos en släkting med barn, tvätt, "
                         "städ eller matlagning.")),
        ("domestic_2", _("Vi träffar på personer som är mycket begränsade vad gäller arbetstid, privatliv, "
                         "rörelsefrihet och egna fysiska behov.")),
    )),
)
SURVEY_KEYS: tuple[str, ...] = tuple(key for _c, _l, statements in SURVEY_CATEGORIES for key, _t in statements)


def survey_category_averages(answers: list[dict[str, int]]) -> list[tuple[Any, float | None, int]]:
    """Per category: the average over every answer's two statements, and how many answered it."""
    out = []
    for _key, label, statements in SURVEY_CATEGORIES:
        values = [a[k] for a in answers for k, _t in statements if isinstance(a.get(k), int)]
        respondents = sum(1 for a in answers if any(isinstance(a.get(k), int) for k, _t in statements))
        out.append((label, round(sum(values) / len(values), 1) if values else None, respondents))
    return out
