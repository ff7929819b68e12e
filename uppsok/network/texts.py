"""Starting texts from the handbook (Helsingborg's network against trafficking and prostitution),
which a network edits into its own. Content, not interface: kept in Swedish as the handbook has it."""

from __future__ import annotations

COORDINATOR_ROLE_TEXT = """Samordning

Deltagarna väljer en samordnare. Denna har till uppgift att driva arbetet framåt bl.a. genom att: \
sammankalla till möte, föra protokoll, verka för nätverkets utveckling och främjande och verka för en \
gemensam hållning.

Fundera över:
- Vad ska samordningsfunktionens övergripande ansvar vara?
- Vilka är de viktigaste uppgifterna?
- Vilka kompetenser krävs för detta arbete?
"""

NETWORK_ROLE_TEXT = """1. Dokumentets syfte
Detta dokument avser att beskriva syftet och inriktningen med arbetet som skall bedrivas inom ramen för \
nätverket mot människohandel och prostitution. Dokumentet skall inte ses som ett juridiskt bindande dokument, \
men avser tydliggöra en gemensam hållning inom nätverket.

2. Ändamålsbeskrivning
Nätverket upprättades för att på ett aktivt och praktiskt sätt motverka människohandel och prostitution i \
staden med omnejd, genom samverkan mellan relevanta aktörer i närområdet. Med motverkan avses förebyggande \
och brottsbekämpande verksamhet samt arbete för att tillgodose offrens rättigheter.

Delmål
- Kartläggning av problembilden
- Upprättande av gemensam handlingsplan för ärendehantering
- Minskning av förekomsten av sexköp eller misstänkta sexköp inom turistnäringen
- Nolltolerans mot sexköp
- Sexköpare bötfälls
- Utredningar gällande människohandel och prostitution upprättas
- Offer erbjuds möjligheter till stöd

3. Nätverkets deltagare
Alla deltagare har lika rätt att påverka utvecklingen av nätverket och dess arbete. Deltagande i nätverket \
begränsas till de organisationer och sammanslutningar som har reella och praktiska möjligheter att påverka \
vad som sker i staden. Dessa förbinder sig till att inom ramen för sin organisation verka för en positiv \
utveckling.

4. Samordning
Deltagarna väljer en samordnare. Denna har till uppgift att driva arbetet framåt bl.a. genom att: \
sammankalla till möte, föra protokoll, verka för nätverkets utveckling och främjande och verka för en \
gemensam hållning.

5. Beslutsfattande
För att säkerställa en effektiv beredning ska deltagarna, i den mån det är möjligt, informera samordnaren \
om de punkter de vill ha med på kommande möte. Under nätverksmöten har deltagarna möjlighet att fritt \
diskutera olika möjligheter, lösningar och idéer utan att förbinda sig under mötets gång. Deltagarna tar \
sedan med sig information och föreslagna möjligheter och idéer tillbaka till sin organisation eller \
sammanslutning och återkommer inom överenskommen tidsram med förslag till beslut. Beslut tas sedan löpande.

6. Extern kommunikation
Deltagande organisationer förstår frågans känsliga natur och förbinder sig till att inte externt \
kommunicera de uppgifter som behandlas inom nätverket, såvida man inte kommit överens om detta. Deltagarna \
förbinder sig också till att inte kommunicera utåt å hela nätverkets vägnar utan att de andra deltagande \
organisationerna fått möjlighet tycka till.
"""


# Helsingborg's collaboration plan, offered as an example to start from: (sub-goal, yearly targets for
# years 1-3 or None, activities of year 1 with the responsible actor).
EXAMPLE_VISION = (
    "Vi vill samverka för en trygg och hållbar stad för alla som bor och vistas här. Därför har vi en "
    "nolltolerans mot människohandel och prostitution, visar empati för de som utsätts och lagför de som "
    "utnyttjar andra."
)
EXAMPLE_OVERALL_GOAL = (
    "Det gör vi bland annat genom att bekämpa efterfrågan på sexuella tjänster och erbjuda stöd till alla de "
    "som utsätts i vår kommun."
)
EXAMPLE_PLAN: tuple[tuple[str, tuple[str, tuple[int, int, int]] | None, tuple[tuple[str, str], ...]], ...] = (
    ("Ökad lagföring av sexköpare", ("lagförda sexköpare", (5, 7, 10)), (
        ("Utveckling av rutin för hantering av enskilda ärenden", "Kärngruppen"),
        ("Polisen: uppdatering av flödesschema \"köp av sexuella tjänster\"", "Polisen"),
        ("Insatsvecka under året, i samverkan med nätverket", "Polisen"),
    )),
    ("Ökad medvetenhet bland allmänheten och nyckelaktörer", None, (
        ("Utbildningsevent för hotellpersonal", "Samordnaren"),
        ("Utbildningsevent för fastighetsägare och säkerhets- och ordningspersonal", "Samordnaren"),
    )),
    ("Statistikinsamling av möjliga ärenden genom en gemensam statistikmall", None, (
        ("Ta fram statistikmall", "Samordnaren"),
    )),
    ("Ökad kontakt med målgruppen för information och stödsamtal", ("personer i stödsamtal", (3, 5, 7)), (
        ("Utbilda socialtjänstens och idéburnas personal i människohandel", "Socialtjänsten"),
    )),
    ("Etablering och utveckling av samverkan mellan myndigheter, idéburna och näringslivet", None, (
        ("Etablera ett nätverk", "Samordnaren"),
    )),
)
