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

MAPPING_PLAN = Part(
    "kartlaggningsplan",
    _("Hur ska ni kartlägga problembilden?"),
    _("Fem kategorier att utforska: offentligt material, underrättelse, internet, branscher och kontaktytor, "
      "branschspecifik information. Skriv en plan för arbetet."),
    (
        Field("categories", _("Vilka av de fem kategorierna kommer ni att utforska?")),
        Field("contacts", _("Vilka kontakter har ni? Vilka behöver ni upprätta?")),
        Field("who_when", _("Vem gör vad och när?")),
        Field("contact_option", _("Hur tar ni kontakt med branscherna: träff med representanter, telefon eller ett "
                                  "digitalt formulär (sektorsenkäten)?")),
        Field("timing", _("Hur lägger ni upp arbetet tidsmässigt?")),
    ),
)

STAKEHOLDER_PERSPECTIVES = Part(
    "perspektiv",
    _("Perspektiv på samverkansaktörer och nivåer av samverkan"),
    _("Nivåerna av samverkan (efter Chris Huxham): nätverka, koordinera, samarbeta, samverka."),
    (
        Field("motivation", _("Vilken ingång har de olika aktörerna i frågan – vad är deras motivation? Hur bör det "
                              "påverka ert sätt att kommunicera?")),
        Field("regional", _("Vilka regionala och nationella aktörer kan stärka det som sker lokalt?")),
        Field("experience", _("Vilka typer av samverkan har ni erfarenhet av och hur har det sett ut?")),
        Field("wanted_level", _("Vilken nivå av samverkan vill ni se i frågan, och varför? Kan det se olika ut över "
                                "tid?")),
    ),
)

REFLECTION_1_3 = Part(
    "reflektion",
    _("Reflektion"),
    _("Reflektera individuellt och sedan tillsammans."),
    (
        Field("interesting", _("Vad har varit mest intressant under steg 1–3?")),
        Field("hardest", _("Vad har varit svårast?")),
        Field("help", _("Vad behöver ni hjälp med?")),
        Field("dynamics", _("Hur upplever ni dynamiken i kärngruppen? Kan ni förstärka arbetet ni gör tillsammans?")),
    ),
)

STAY_UPDATED = Part(
    "uppdaterade",
    _("Håll er uppdaterade"),
    _("Kunskapsbanken samlar information och verktyg; bestäm hur den hålls aktuell."),
    (
        Field("how", _("Hur håller ni er uppdaterade – vem ansvarar, hur ofta och var hittar nätverket det?")),
    ),
)

COORDINATION = Part(
    "samordning",
    _("Utveckla en samordningsfunktion och nätverkets roll"),
    _("Rollbeskrivningarna själva skrivs under Roller och inställningar, med Helsingborgs text som start."),
    (
        Field("responsibility", _("Vad ska samordningsfunktionens övergripande ansvar vara?")),
        Field("tasks", _("Vilka är samordnarens viktigaste uppgifter, och vilka kompetenser krävs?")),
        Field("network_function", _("Vad ska nätverkets funktion vara, och vad krävs för att det ska kunna utföras?")),
    ),
)

EVENT = Part(
    "event",
    _("Planera nätverkets event"),
    _("Samla aktörerna till ett nätverks- och utbildningsevent: öka medvetenheten och bredda arbetet från "
      "kärngruppen till nätverket."),
    (
        Field("date_place", _("Datum och plats")),
        Field("purpose", _("Syftet med träffen och dagordning")),
        Field("invited", _("Vilka bjuds in?")),
        Field("invitation", _("Inbjudans text")),
        Field("ask", _("Vilken tydlig förfrågan får deltagarna att svara på innan de går?")),
    ),
)

STARTING_POINT = Part(
    "utgangspunkt",
    _("En gemensam utgångspunkt"),
    _("Presentera kartläggningen och kunskapsbanken för nätverket och samtala utifrån frågorna."),
    (
        Field("new", _("Vad var nytt, vad var viktigt?")),
        Field("relevant", _("Vad är relevant för vem?")),
        Field("missing", _("Saknas något?")),
        Field("training", _("Vilka behov av vidare utbildning finns i gruppen?")),
        Field("access", _("Hur kan relevant information göras tillgänglig för rätt personer och organisationer?")),
    ),
)

SWOT = Part(
    "swot",
    _("SWOT"),
    _("Styrkor, svagheter, möjligheter och hot för ett fungerande arbete mot människohandel och prostitution i "
      "ert område. Ringa in de viktigaste insikterna."),
    (
        Field("strengths", _("Styrkor (interna)")),
        Field("weaknesses", _("Svagheter (interna)")),
        Field("opportunities", _("Möjligheter (externa)")),
        Field("threats", _("Hot (externa)")),
        Field("insights", _("De viktigaste insikterna")),
    ),
)

VISION = Part(
    "vision",
    _("Vision och övergripande mål"),
    _("Samverkansplanens överbyggnad; delmålen med årliga mål och aktiviteterna finns under Samverkansplan."),
    (
        Field("vision", _("Vision")),
        Field("overall_goal", _("Övergripande mål")),
    ),
)

MARKETING = Part(
    "marknadsforing",
    _("Marknadsföring"),
    _("För att arbetet ska få ett brett genomslag behöver ni kommunicera det inspirerande, tillgängligt och tydligt."),
    (
        Field("who", _("Vem behöver veta om arbetet?")),
        Field("what_matters", _("Vad är viktigt för dem?")),
        Field("how", _("Hur kommunicerar ni på ett sätt som når denna målgrupp?")),
        Field("tone", _("Tonalitet?")),
        Field("helpers", _("Vem kan hjälpa er?")),
    ),
)

ROUTINE_GOAL = Part(
    "rutinens-mal",
    _("Formulera målet för rutinen"),
    _("I målet med en lokal gemensam rutin för enskilda ärenden bör det ingå att brottsoffer får tillgång till sina "
      "rättigheter och att förövare lagförs."),
    (
        Field("lead_to", _("Vad ska er lokala rutin leda till? Formulera ett övergripande mål för en gemensam lokal "
                           "process.")),
        Field("partners", _("Vad krävs av samverkansparterna?")),
        Field("in_practice", _("Vad innebär det för olika aktörer i praktiken?")),
    ),
)

DEVELOPMENT_LEVELS: tuple[tuple[int, Any], ...] = (
    (1, _("Den reaktiva mottagaren")),
    (2, _("Den förberedda krishanteraren")),
    (3, _("Den holistiska lagspelaren")),
    (4, _("Processägaren")),
    (5, _("Förebilden")),
)

DEVELOPMENT = Part(
    "utvecklingsniva",
    _("Utvecklingsnivå för hantering av enskilda ärenden"),
    _("1 Den reaktiva mottagaren · 2 Den förberedda krishanteraren · 3 Den holistiska lagspelaren · "
      "4 Processägaren · 5 Förebilden. Varje sparad bedömning är daterad, så att ni ser utvecklingen över tid."),
    (
        Field("current", _("Var befinner ni er?"), SCORE),
        Field("wanted", _("Var skulle ni vilja vara?"), SCORE),
        Field("needed", _("Vad krävs för att ni ska nå dit, och vad behöver ni?")),
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
         _("Kartläggningsplan, escortsidornas logg och sektorsenkäten."), (MAPPING_PLAN, REFLECTION)),
    Step(3, _("Aktivera möjliga samverkansaktörer"),
         _("Perspektiv på aktörerna, nivåer av samverkan och intressentanalysen."),
         (STAKEHOLDER_PERSPECTIVES, REFLECTION_1_3)),
    Step(4, _("Skapa en kunskapsbank"), _("Samla in och sammanställ information och verktyg, och håll er uppdaterade."),
         (STAY_UPDATED, REFLECTION)),
    Step(5, _("Utveckla ett samordnings- och nätverksarbete"),
         _("Samordningsfunktion, rollbeskrivningar och nätverkets event."), (COORDINATION, EVENT, REFLECTION)),
    Step(6, _("Ta fram en lokal samverkansplan"),
         _("Gemensam utgångspunkt, SWOT, vision och övergripande mål, delmål med årliga mål, aktiviteter och "
           "marknadsföring."), (STARTING_POINT, SWOT, VISION, MARKETING, REFLECTION)),
    Step(7, _("Ta fram en rutin för enskilda ärenden"),
         _("Nätverkets rutin för enskilda ärenden och var nätverket står i sin utveckling."),
         (ROUTINE_GOAL, DEVELOPMENT, REFLECTION)),
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
