"""Synthetic corpus of escort/sugar-dating ads with ground truth, for evaluation and benchmarks.

    .venv/bin/python bench/gen_corpus.py --n 100000 --seed 7 --phrasings B -o bench/out/c.jsonl
    [--images bench/out/img]   # also draw photos (slow; use for small corpora)
    .venv/bin/python bench/gen_corpus.py --smoke [--images DIR]   # 300 ads into a temporary file (CI)

Writes OUT (the ads, input format) and OUT.truth.jsonl (per ad: true group, true phones,
language and indicators). Rings share phones or serial numbers, text templates and photo rooms
and move women between towns; independent women write in the first person; ads come back
(re-sightings); numbers are obfuscated; agency numbers and stock photos appear in unrelated ads.

--images DIR draws the photos (JPEG, 320x240) with their own random stream, so the ads are the
same as without it: each ring has one flat whose room (wallpaper, light, furniture, bedspread)
shows in its women's photos; rings re-post one woman's photo for others (resized, a sliver
cropped, re-encoded); independent women have rooms of their own; a few stock photos appear in
many unrelated ads; 30 % of the women show a real face (the astronaut portrait that ships in the
scikit-image wheel, pasted on; without scikit-image no faces). Truth adds `face_visible` (a face
in one of the ad's photos) and `same_place_photos` (a room of its photos, stock excepted, is in
photos of another woman).

--phrasings A|B|C picks one of three disjoint phrase banks, so the evaluation can run on
wording the analyser was not tuned on. C was added last as the held-out bank: tune on A/B only.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

CITIES = ["Stockholm", "Göteborg", "Malmö", "Uppsala", "Västerås", "Örebro", "Linköping", "Helsingborg",
          "Jönköping", "Norrköping", "Lund", "Umeå", "Gävle", "Borås", "Södertälje", "Eskilstuna",
          "Halmstad", "Växjö", "Karlstad", "Sundsvall", "Luleå", "Östersund", "Kalmar", "Falun"]
SITES = ["rosasidan", "sex-tjejer", "sugardaters", "seeking", "escortguiden", "annonsnu", "kontaktsidan"]
NAMES = ["Anna", "Bella", "Maria", "Sofia", "Elena", "Ioana", "Andreea", "Natalia", "Olga", "Kristina",
         "Lisa", "Emma", "Julia", "Alina", "Daria", "Vika", "Mia", "Nora", "Sara", "Jessica", "Angel",
         "Diana", "Roxana", "Bianca", "Irina", "Katja", "Linnea", "Moa", "Ella", "Tindra", "Lova", "Nikki",
         "Amanda", "Chloe", "Stella", "Luna", "Candy", "Kim", "Tina", "Paula", "Monica", "Larisa"]
FOREIGN = [("Rumänien", "Romania", "rumänsk", "Romanian"), ("Ukraina", "Ukraine", "ukrainsk", "Ukrainian"),
           ("Nigeria", "Nigeria", "nigeriansk", "Nigerian"), ("Bulgarien", "Bulgaria", "bulgarisk", "Bulgarian"),
           ("Thailand", "Thailand", "thailändsk", "Thai"), ("Polen", "Poland", "polsk", "Polish"),
           ("Ungern", "Hungary", "ungersk", "Hungarian")]
PREFIXES = ["70", "72", "73", "76", "79"]
T0 = datetime(2024, 1, 1, tzinfo=timezone(timedelta(hours=1)))
SPAN_DAYS = 120

# Agency/switchboard numbers: one per this many ads, at most 5 (so 100k and 1M corpora are as
# before). In small corpora 5 numbers were each in a handful of independents' ads — exactly what a
# ring's shared phone looks like — and not in the many unrelated profiles that make them hubs.
AGENCY_ADS_PER_NUMBER = 20_000

# --- photos (--images) --------------------------------------------------------------------------
PHOTO_W, PHOTO_H = 320, 240
# Share of women whose photos show a (real, pasted) face: many ads hide the face, many do not.
FACE_SHARE = 0.3
# Pasted face width in px on a 320x240 photo: from a small head (detector's minimum is 1/12 of
# the short side, 20 px, and the cascade needs ~24 px) to a close-up.
FACE_MIN_PX, FACE_MAX_PX = 40, 80
# Each room's light: a smooth brightness field (a LIGHT_GRID of random offsets, up to
# LIGHT_AMPLITUDE grey levels, interpolated), so rooms differ in the low frequencies a
# perceptual hash looks at, as real rooms do (lamps, windows, shadows), and not only in colour.
LIGHT_GRID = (4, 3)
LIGHT_AMPLITUDE = 70.0
# Independent women who add a stock photo (a model from the web) to their own.
STOCK_SHARE = 0.03
# One stock photo per this many ads, so each is shown by far more profiles than the engine's hub
# cap (IMAGE_HUB_MAX_PROFILES, 10), as a real stock photo is.
STOCK_ADS_PER_PHOTO = 50_000
# A re-upload crops at most this share of width/height per side (sites trim borders/watermarks);
# the perceptual hash tolerates about 1 %.
REUPLOAD_CROP = 0.005
# Where the face comes from: the astronaut portrait inside the scikit-image wheel (nothing is
# downloaded); without scikit-image the photos have no faces and face_visible has no support.
FACE_BOX = (160, 40, 290, 190)


def load_face():  # noqa: ANN201
    import importlib.util

    from PIL import Image

    spec = importlib.util.find_spec("skimage")
    path = Path(spec.origin).parent / "data" / "astronaut.png" if spec and spec.origin else None
    if path is None or not path.is_file():
        print("gen_corpus: scikit-image not installed, photos without faces", file=sys.stderr)
        return None
    with Image.open(path) as im:
        return im.convert("RGB").crop(FACE_BOX)


# ---- phrase banks: three disjoint variants ------------------------------------------------------
P = {
    "A": {
        "sv3": ["{name} är en {adj} tjej på {age} år.", "Hon är ny i {city} och väntar på dig.",
                "Ring henne på {phone}.", "Hon tar emot i en diskret lägenhet i {city}.",
                "Hennes bilder är äkta och hon är {adj}.", "Hon älskar att umgås med generösa män.",
                "Boka henne idag, hon är bara här några dagar.", "Hon finns tillgänglig dygnet runt."],
        "en3": ["{name} is a {adj} girl, {age} years old.", "She is new in {city} and waiting for you.",
                "Call her on {phone}.", "She receives in a discreet apartment in {city}.",
                "Her photos are real and she is {adj}.", "She loves to spend time with generous men.",
                "Book her today, she is only here a few days.", "She is available 24/7."],
        "sv1t": ["Hej, jag heter {name} och är {age} år.", "Jag är ny i {city} och väntar på dig.",
                 "Ring mig på {phone}.", "Jag tar emot i en diskret lägenhet i {city}.",
                 "Mina bilder är äkta och jag är {adj}.", "Jag finns tillgänglig dygnet runt."],
        "en1t": ["Hi, my name is {name}, I am {age}.", "I am new in {city} and waiting for you.",
                 "Call me on {phone}.", "I receive in a discreet apartment in {city}.",
                 "My photos are real and I am {adj}.", "I am available 24/7."],
        "ro": ["Salut, sunt {name}, am {age} ani.", "Sunt nouă în {city}.", "Sună-mă la {phone}.",
               "Te aștept într-un apartament discret.", "Pozele sunt reale."],
        "offers": {"sv": ["Allt ingår.", "Utan kondom går bra.", "BB ok.", "Allt är tillåtet."],
                   "en": ["Everything included.", "BB ok.", "Without condom ok.", "All services."]},
        "talk": {"sv": ["Prata inte med henne under mötet.", "Ställ inga frågor."],
                 "en": ["Do not talk to her during the meeting.", "No questions."]},
        "speaks_en": ["Hon pratar engelska.", "Pratar engelska vid mötet."],
        "bdsm": {"sv": ["BDSM: hon blir fastbunden och hennes herre är alltid med."],
                 "en": ["BDSM: she is tied up and her master is always present."]},
        "foreign": {"sv": ["Hon kommer från {country_sv}.", "{nat_sv} tjej, ny i stan."],
                    "en": ["New girl from {country_en}.", "{nat_en} girl, new in town."]},
        "minor": {"sv": ["Tonårstjej som vill ha kul.", "Nyss fyllt 18, helt ny.", "Ung och oerfaren."],
                  "en": ["Teen girl looking for fun.", "Just turned 18, very new.", "Barely legal."]},
        "price": ["1h {p} kr", "{p} kr/h", "{p} kr per timme", "30 min {h} kr, 1h {p} kr"],
        "price_en": ["1h {p} SEK", "{p} kr/hour", "{p} sek per hour", "30 min {h} kr, 1 hour {p} kr"],
    },
    "B": {
        "sv3": ["Söta {name} ({age}) har precis kommit till {city}.", "Denna {adj} tjej tar emot dig hos sig.",
                "Sms:a henne: {phone}.", "Hon kan träffas både hemma och på hotell i {city}.",
                "{name} är {adj} och mycket trevlig, hon väntar.", "Hennes kropp är naturlig.",
                "Hon stannar bara en vecka i {city}, missa inte.", "Hon svarar snabbt på sms."],
        "en3": ["Sweet {name} ({age}) just arrived in {city}.", "This {adj} girl welcomes you at her place.",
                "Text her: {phone}.", "She can meet at her place or your hotel in {city}.",
                "{name} is {adj} and very friendly, she is waiting.", "Her body is natural.",
                "She stays one week only in {city}, do not miss it.", "She answers SMS fast."],
        "sv1t": ["Söta {name} ({age}) här, precis kommit till {city}.", "Jag tar emot dig hos mig.",
                 "Sms:a mig: {phone}.", "Jag kan träffas hemma eller på hotell i {city}.",
                 "Jag är {adj} och väldigt trevlig.", "Jag svarar snabbt på sms."],
        "en1t": ["Sweet {name} ({age}) here, just arrived in {city}.", "I welcome you at my place.",
                 "Text me: {phone}.", "I can meet at home or at your hotel in {city}.",
                 "I am {adj} and very friendly.", "I answer SMS fast."],
        "ro": ["Bună, eu sunt {name} ({age}).", "Tocmai am ajuns în {city}.", "Scrie-mi: {phone}.",
               "Te primesc la mine.", "Răspund repede la mesaje."],
        "offers": {"sv": ["Inga gränser.", "Gör allt, även utan skydd.", "Bareback möjligt.", "Oskyddat går bra."],
                   "en": ["No limits.", "Bareback possible.", "Unprotected is fine.", "Anything you want."]},
        "talk": {"sv": ["Inget prat under träffen.", "Prata inte, bara njut."],
                 "en": ["No talking during the date.", "Don't talk, just enjoy."]},
        "speaks_en": ["Talar bara engelska.", "Hon talar engelska på träffen."],
        "bdsm": {"sv": ["Bondage: hon binds fast, en tredje person är alltid närvarande."],
                 "en": ["Bondage: she is tied up, a third person is always present."]},
        "foreign": {"sv": ["Ny i Sverige, {nat_sv} tjej.", "Född i {country_sv}."],
                    "en": ["{nat_en} beauty, new in Sweden.", "Born in {country_en}."]},
        "minor": {"sv": ["Skoltjej som vill tjäna extra.", "Väldigt ung tjej.", "Gymnasietjej."],
                  "en": ["Schoolgirl wanting extra money.", "Very young girl.", "Teenage girl."]},
        "price": ["1 tim {p}:-", "{p} kr i timmen", "{p} kronor/timme", "halvtimme {h} kr, timme {p} kr"],
        "price_en": ["1 hr {p} SEK", "{p} SEK/h", "{p} kr an hour", "half an hour {h} kr, hour {p} kr"],
    },
    # C: written afterwards as a held-out bank, without looking at the analyser's patterns; only
    # used for final figures, never for tuning.
    "C": {
        "sv3": ["Vi presenterar {name}, {age}, en {adj} tjej som nu finns i {city}.",
                "Hon blir glad av att få träffa dig.", "Nummer till henne: {phone}.",
                "Besök henne i en lugn lägenhet centralt i {city}.", "{name} är verkligen {adj}, se själv.",
                "Hon har många nöjda gäster bakom sig.", "Hon åker vidare snart, så hör av dig nu.",
                "Vår tjej jobbar både dag och natt."],
        "en3": ["Meet {name}, {age}, a {adj} lady now staying in {city}.", "She will be happy to see you.",
                "Her number: {phone}.", "Visit her in a quiet flat in central {city}.",
                "{name} is truly {adj}, see for yourself.", "She has many satisfied guests.",
                "She leaves soon, so get in touch now.", "Our girl works day and night."],
        "sv1t": ["Jag heter {name}, {age}, och bor just nu i {city}.", "Jag blir glad av att träffa dig.",
                 "Mitt nummer: {phone}.", "Besök mig i min lugna lägenhet i {city}.",
                 "Jag är {adj} och positiv.", "Jag åker vidare snart, hör av dig."],
        "en1t": ["I am {name}, {age}, staying in {city} right now.", "I will be happy to see you.",
                 "My phone: {phone}.", "Visit me in my quiet flat in {city}.",
                 "I am {adj} and positive.", "I leave soon, get in touch."],
        "ro": ["Mă numesc {name} și am {age} de ani.", "Acum sunt în {city}.", "Telefon: {phone}.",
               "Vino la mine, sunt discretă.", "Te aștept cu drag."],
        "offers": {"sv": ["Oskyddad sex ingår.", "BB och allt du vill.", "Utan kondom mot tillägg.",
                          "Inga gränser, allt går."],
                   "en": ["Bareback available.", "No limits at all.", "Everything included in the price.",
                          "Natural sex ok."]},
        "talk": {"sv": ["Inga frågor, tack.", "Prata inte med tjejen om annat."],
                 "en": ["Please no questions.", "Do not talk with the girl about anything else."]},
        "speaks_en": ["Hon förstår bara engelska.", "Engelska endast."],
        "bdsm": {"sv": ["Hon gillar att vara underkastelse, hennes ägare är med hela tiden."],
                 "en": ["She is a submissive slave, her owner watches the whole time."]},
        "foreign": {"sv": ["{nat_sv} skönhet på besök.", "Hon är från {country_sv}."],
                    "en": ["Visiting {nat_en} beauty.", "She comes from {country_en}."]},
        "minor": {"sv": ["Liten flicka som är ny på detta.", "Precis fyllt 18 och nyfiken.", "Mycket ung och oskuld."],
                  "en": ["Young girl, new to this.", "Teenager, fresh and new.", "Petite young schoolgirl look."]},
        "price": ["{p} kr för en timme", "timme: {p} kr", "{p} kr/tim", "30 min {h} kr / 60 min {p} kr"],
        "price_en": ["{p} SEK for one hour", "hour: {p} SEK", "{p} sek/h", "30 min {h} SEK / 60 min {p} SEK"],
    },
}
ADJ = {"sv": ["söt", "glad", "sportig", "sensuell", "härlig", "mysig", "charmig", "busig", "vacker", "pigg"],
       "en": ["sweet", "happy", "sporty", "sensual", "lovely", "cute", "charming", "naughty", "beautiful", "fun"],
       "ro": ["dulce"]}

# Independent women: combinatorial first-person sentences so that unrelated ads rarely share
# wording by chance (as real independently written ads do).
IND = {
    "sv": {
        "open": ["Hej", "Hej hej", "Hallå", "Välkommen", "Tjena", "Hej du", "Hejsan", "God kväll"],
        "who": ["jag heter {name}", "här är {name}", "jag är {name}", "{name} här"],
        "desc": ["en {a} och {b} tjej", "{a} kvinna på {age}", "{a} tjej som gillar {h}", "en {a} mamma",
                 "{a} och {b} tjej från {home}", "{a} brunett", "{a} blondin", "{a} student"],
        "a": ["glad", "lugn", "snäll", "mysig", "sportig", "kurvig", "smal", "lång", "kort", "rolig",
              "social", "nyfiken", "varm", "ärlig", "spontan", "romantisk", "busig", "naturlig"],
        "h": ["träning", "långa promenader", "god mat", "vin", "resor", "film", "musik", "skogen",
              "dans", "böcker", "yoga", "spa", "matlagning", "konst", "hästar", "havet"],
        "home": ["Norrland", "Skåne", "Småland", "Värmland", "västkusten", "landet", "stan"],
        "want": ["Jag söker en {a} man för {m}", "Letar efter {m} med en {a} gentleman",
                 "Vill träffa dig för {m}", "Söker någon som vill {v}", "Gillar {m} och {h}"],
        "m": ["mysiga kvällar", "middagar", "trevligt sällskap", "en avslappnad stund", "kul träffar",
              "ett diskret möte", "vuxen lek", "massage", "en lugn kväll", "umgänge"],
        "v": ["bjuda på middag", "ta det lugnt", "unna sig något", "prata och skratta", "ha det mysigt"],
        "rule": ["Alltid med kondom.", "Aldrig utan kondom.", "Inga droger.", "Endast hygieniska män.",
                 "Respekt är viktigt.", "Bara seriösa svar.", "Inga dolda nummer.", "Boka i förväg.",
                 "Jag pratar svenska och engelska.", "Svensk tjej, född och uppvuxen här.", ""],
        "close": ["Ring eller sms:a {phone}", "Nås på {phone}", "Kontakta mig på {phone}",
                  "Skicka sms till {phone}", "Mitt nummer: {phone}", "Hör av dig {phone}"],
    },
    "en": {
        "open": ["Hi", "Hello", "Hey there", "Welcome", "Hi guys", "Good evening", "Hey you", "Hiya"],
        "who": ["my name is {name}", "I am {name}", "{name} here", "this is {name}"],
        "desc": ["a {a} and {b} woman", "{a} lady aged {age}", "a {a} girl who likes {h}", "a {a} mum",
                 "{a} and {b} girl from {home}", "a {a} brunette", "a {a} blonde", "a {a} student"],
        "a": ["happy", "calm", "kind", "cosy", "sporty", "curvy", "slim", "tall", "petite", "funny",
              "social", "curious", "warm", "honest", "spontaneous", "romantic", "playful", "natural"],
        "h": ["training", "long walks", "good food", "wine", "travel", "movies", "music", "nature",
              "dancing", "books", "yoga", "spa days", "cooking", "art", "horses", "the sea"],
        "home": ["the north", "the south", "the coast", "the countryside", "the city", "abroad", "here"],
        "want": ["I am looking for a {a} man for {m}", "Searching for {m} with a {a} gentleman",
                 "I want to meet you for {m}", "Looking for someone who wants to {v}", "I enjoy {m} and {h}"],
        "m": ["cosy evenings", "dinners", "nice company", "a relaxed time", "fun dates",
              "a discreet meeting", "adult fun", "massage", "a quiet night", "company"],
        "v": ["have dinner", "take it easy", "treat himself", "talk and laugh", "relax together"],
        "rule": ["Always with condom.", "Never without condom.", "No drugs.", "Hygiene is a must.",
                 "Respect is important.", "Serious replies only.", "No hidden numbers.", "Book ahead.",
                 "I speak Swedish and English.", "Swedish girl, born and raised here.", ""],
        "close": ["Call or text {phone}", "Reach me at {phone}", "Contact me on {phone}",
                  "Send SMS to {phone}", "My number: {phone}", "Get in touch {phone}"],
    },
}

SV_WORDS = {"0": "noll", "1": "ett", "2": "två", "3": "tre", "4": "fyra", "5": "fem", "6": "sex",
            "7": "sju", "8": "åtta", "9": "nio"}
EN_WORDS = {"0": "zero", "1": "one", "2": "two", "3": "three", "4": "four", "5": "five", "6": "six",
            "7": "seven", "8": "eight", "9": "nine"}


def fmt_phone(rng: random.Random, e164: str) -> str:
    """Write a +46 mobile number the way ads do, often obfuscated."""
    nat = "0" + e164[3:]  # 07XXXXXXXX
    sub = e164[3:]  # 7XXXXXXXX
    k = rng.random()
    if k < 0.25:
        return f"{nat[:3]}-{nat[3:6]} {nat[6:8]} {nat[8:]}"
    if k < 0.35:
        return nat
    if k < 0.45:
        return f"+46 {sub[:2]} {sub[2:5]} {sub[5:7]} {sub[7:]}"
    if k < 0.5:
        return "0046" + sub
    if k < 0.55:
        return "46" + sub
    if k < 0.62:
        return nat.replace("0", "O").replace("1", "l")
    if k < 0.68:
        return " ".join(SV_WORDS[c] for c in nat)
    if k < 0.72:
        return " ".join(EN_WORDS[c] for c in nat)
    if k < 0.8:
        return " ".join(nat)
    if k < 0.87:
        return f"{nat[:3]}.{nat[3:6]}.{nat[6:8]}.{nat[8:]}"
    if k < 0.93:
        return f"({nat[:3]}) {nat[3:6]} {nat[6:8]} {nat[8:]}"
    return f"{nat[:3]}/{nat[3:]}"


class Gen:
    def __init__(self, seed: int, phr: str, images: Path | None, out_dir: Path, n: int = 10_000) -> None:
        self.rng = random.Random(seed)
        self.phr = P[phr]
        self.images = images
        self.out_dir = out_dir
        self.used_phones: set[str] = set()
        self.ads: list[dict] = []
        self.truth: list[dict] = []
        self.next_id = 0
        self.agency = [self.new_phone() for _ in range(max(1, min(5, n // AGENCY_ADS_PER_NUMBER)))]
        self.img_count = 0
        self.stock: list[str] = []
        self.n_stock = 1 + n // STOCK_ADS_PER_PHOTO
        self.handles: set[str] = set()
        # photos draw from their own stream: the same seed gives the same ads with or without
        # --images (only the "images" field differs)
        self.img_rng = random.Random(seed * 7919 + 17)
        self.photo_meta: dict[str, dict] = {}  # path as written in the ad -> room, face, stock
        self.face = load_face() if images else None
        self.room_no = 0

    def handle(self, base: str) -> str:
        """Profile handles are unique on a site; we keep them unique across sites too."""
        while True:
            h = f"{base}{self.rng.randrange(10, 100_000)}"
            if h not in self.handles:
                self.handles.add(h)
                return h

    def new_phone(self) -> str:
        while True:
            p = "+46" + self.rng.choice(PREFIXES) + f"{self.rng.randrange(10**7):07d}"
            if p not in self.used_phones:
                self.used_phones.add(p)
                return p

    def serial_phones(self, k: int) -> list[str]:
        while True:
            base = "+46" + self.rng.choice(PREFIXES)
            start = self.rng.randrange(10**7 - 50)
            nums, cur = [], start
            for _ in range(k):
                nums.append(base + f"{cur:07d}")
                cur += self.rng.choice([1, 1, 1, 2, 3])
            if not any(n in self.used_phones for n in nums):
                self.used_phones.update(nums)
                return nums

    # -- photos ------------------------------------------------------------------------------
    def room(self) -> dict:
        """A room (flat, hotel): wallpaper with stripes, a window, a lamp, furniture, a checked
        bedspread, and its own light (a smooth brightness field), seen from its own angle."""
        r = self.img_rng
        self.room_no += 1
        rgb = lambda: tuple(r.randrange(256) for _ in range(3))  # noqa: E731
        furniture = []
        for _ in range(r.randint(2, 4)):
            x, y = r.randrange(0, PHOTO_W - 40), r.randrange(0, PHOTO_H - 60)
            furniture.append(((x, y, x + r.randrange(30, 110), y + r.randrange(30, 90)), rgb()))
        return {"id": f"room{self.room_no}", "wall": rgb(), "bed": rgb(), "bed2": rgb(),
                "check": r.randrange(12, 30), "win": (r.randrange(10, 230), r.randrange(5, 50)),
                "stripes": r.randrange(3, 12), "lamp": (r.randrange(0, 300), r.randrange(10, 120)),
                "bed_y": r.randrange(120, 200), "furniture": furniture,
                "light": [r.uniform(-LIGHT_AMPLITUDE, LIGHT_AMPLITUDE) for _ in range(LIGHT_GRID[0] * LIGHT_GRID[1])]}

    def _save(self, im, meta: dict) -> str:  # noqa: ANN001
        assert self.images is not None
        self.img_count += 1
        path = self.images / f"img{self.img_count:07d}.jpg"
        im.save(path, quality=self.img_rng.choice([75, 85, 92]))
        rel = os.path.relpath(path, self.out_dir)
        self.photo_meta[rel] = meta
        return rel

    def photo(self, room: dict, woman: int, face: bool) -> str:
        """A new photo of `woman` (her own colours and build) in the middle of `room`, with a real
        face pasted on her head when `face` and a face photo is available."""
        from PIL import Image, ImageDraw

        r = self.img_rng
        im = Image.new("RGB", (PHOTO_W, PHOTO_H), room["wall"])
        d = ImageDraw.Draw(im)
        dark = tuple(max(0, c - 40) for c in room["wall"])
        for k in range(room["stripes"]):
            x = k * PHOTO_W // room["stripes"]
            d.line([(x, 0), (x, PHOTO_H)], fill=dark, width=3)
        wx, wy = room["win"]
        d.rectangle([wx, wy, wx + 60, wy + 50], fill=(200, 220, 255))
        by, c = room["bed_y"], room["check"]
        for y in range(by, PHOTO_H, c):
            for x in range(0, PHOTO_W, c):
                d.rectangle([x, y, x + c, y + c], fill=room["bed"] if (x // c + y // c) % 2 else room["bed2"])
        lx, ly = room["lamp"]
        d.ellipse([lx, ly, lx + 20, ly + 20], fill=(255, 240, 180))
        for box, col in room["furniture"]:
            d.rectangle(box, fill=col)
        # the woman: mostly inside the middle half of the photo, head and legs reaching out of it;
        # her build and clothes are hers, her place and size in the frame differ per photo
        rw = random.Random(woman)
        col = tuple(rw.randrange(256) for _ in range(3))
        sc = r.uniform(0.85, 1.15)
        half_w = int(rw.randrange(28, 42) * sc)
        cx = PHOTO_W // 2 + r.randrange(-25, 25)
        top = 120 - int(80 * sc)
        d.ellipse([cx - half_w, top + int(45 * sc), cx + half_w, top + int(160 * sc)], fill=col)
        skin = (rw.randrange(150, 255), rw.randrange(100, 200), 150)
        hw = int(20 * sc)
        d.ellipse([cx - hw, top, cx + hw, top + int(52 * sc)], fill=skin)
        shows_face = bool(face and self.face is not None)
        if shows_face:
            fw = int(r.randrange(FACE_MIN_PX, FACE_MAX_PX) * sc)
            f = self.face.resize((fw, int(fw * self.face.height / self.face.width)))
            im.paste(f, (cx - fw // 2, top + int(26 * sc) - f.height // 2))
        im = self._light(im, room)
        return self._save(im, {"room": room["id"], "face": shows_face, "stock": False})

    @staticmethod
    def _light(im, room: dict):  # noqa: ANN001, ANN205
        import numpy as np
        from PIL import Image

        gx, gy = LIGHT_GRID
        grid = np.asarray(room["light"], dtype=np.float32).reshape(gy, gx)
        field = np.asarray(Image.fromarray(grid, mode="F").resize(im.size, Image.BICUBIC))
        a = np.asarray(im, dtype=np.float32) + field[..., None]
        return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))

    def reupload(self, src: str) -> str:
        """The same photo as a ring re-posts it for another woman: resized, a sliver cropped,
        re-encoded at another JPEG quality."""
        from PIL import Image

        r = self.img_rng
        with Image.open(Path(self.out_dir) / src) as im:
            s = r.uniform(0.8, 0.97)
            im = im.convert("RGB").resize((int(im.width * s), int(im.height * s)), Image.LANCZOS)
        cx, cy = int(im.width * REUPLOAD_CROP), int(im.height * REUPLOAD_CROP)
        im = im.crop((r.randint(0, cx), r.randint(0, cy), im.width - r.randint(0, cx), im.height - r.randint(0, cy)))
        return self._save(im, dict(self.photo_meta[src]))

    def stock_photo(self) -> str:
        if not self.stock:
            for k in range(self.n_stock):
                room = self.room()
                name = self.photo(room, 10_000_000 + k, face=False)
                self.photo_meta[name]["stock"] = True
                self.stock.append(name)
        return self.img_rng.choice(self.stock)

    # -- ads ---------------------------------------------------------------------------------
    def emit(self, ad: dict, truth: dict) -> None:
        self.next_id += 1
        ad["id"] = f"ad{self.next_id:07d}"
        truth["id"] = ad["id"]
        self.ads.append(ad)
        self.truth.append(truth)

    def ring(self, ring_no: int) -> None:
        r = self.rng
        lang = r.choices(["sv", "en", "ro"], [0.55, 0.4, 0.05])[0]
        k = r.randint(2, 6)
        mode = r.choice(["shared", "serial", "serial", "own"])
        if mode == "shared":
            phones = [self.new_phone()] * k
        elif mode == "serial":
            phones = self.serial_phones(k if k >= 3 else 3)[:k] if k >= 3 else self.serial_phones(3)[:k]
        else:
            phones = [self.new_phone() for _ in range(k)]
        if mode == "serial" and k < 3:
            mode = "own-serial2"
        third = r.random() < 0.7 and lang != "ro"
        key = {"sv": "sv3" if third else "sv1t", "en": "en3" if third else "en1t", "ro": "ro"}[lang]
        pool = self.phr[key]
        template = r.sample(pool, min(len(pool), r.randint(4, 6)))
        if not any("{phone}" in s for s in template):
            template.append(next(s for s in pool if "{phone}" in s))
        # every ring writes its own text: two sentences from the combinatorial grammar, fixed
        # for the ring, so rings using the same stock phrases still differ
        if True:
            bank = IND[lang if lang in IND else "en"]
            for slot in ("want", "want", "rule"):
                sent = r.choice(bank[slot]).format(a=r.choice(bank["a"]), h=r.choice(bank["h"]),
                                                    m=r.choice(bank["m"]), v=r.choice(bank["v"]),
                                                    b=r.choice(bank["a"]))
                template.insert(r.randrange(len(template) + 1), sent + ("" if sent.endswith(".") else "."))
        il = "sv" if lang == "sv" else "en"
        extras = []
        flags = set()
        if r.random() < 0.6:
            extras.append(r.choice(self.phr["offers"][il]))
            flags.add("offers_everything")
        if r.random() < 0.2:
            extras.append(r.choice(self.phr["talk"][il]))
            flags.add("do_not_talk")
        if r.random() < 0.08:
            extras.append(r.choice(self.phr["bdsm"][il]))
            flags.add("bdsm_third_party")
        country = r.choice(FOREIGN)
        foreign_text = r.random() < 0.5
        if foreign_text:
            extras.append(r.choice(self.phr["foreign"][il]).format(
                country_sv=country[0], country_en=country[1], nat_sv=country[2].capitalize(), nat_en=country[3]))
        nat_field = r.random() < 0.5
        if foreign_text or nat_field:
            flags.add("not_from_sweden")
        speaks_en = lang == "sv" and r.random() < 0.35
        low = r.random() < 0.5
        site = r.choice(SITES)
        start = r.uniform(0, SPAN_DAYS - 40)
        room = self.room() if self.images else None  # the ring's flat
        shared_photo = None
        for w in range(k):
            name = r.choice(NAMES)
            age = r.randint(19, 30)
            minor = r.random() < 0.03
            if minor:
                age = r.choice([16, 17, 18, 19])
            profile = self.handle(name) if r.random() < 0.8 else None
            cities = r.sample(CITIES, r.randint(1, 3))
            n_sight = r.randint(1, 5)
            wflags = set(flags)
            wextra = list(extras)
            if minor:
                wextra.append(r.choice(self.phr["minor"][il]))
                wflags.add("possible_minor")
            photos: list[str] = []
            if self.images:
                ir = self.img_rng
                face = ir.random() < FACE_SHARE
                if shared_photo is None or ir.random() < 0.5:
                    photos = [self.photo(room, ring_no * 100 + w, face) for _ in range(ir.randint(1, 2))]
                    if shared_photo is None:
                        shared_photo = photos[0]
                else:
                    # the ring posts another woman's photo for her (re-uploaded), sometimes with
                    # one of her own in the same room
                    photos = [self.reupload(shared_photo)]
                    if ir.random() < 0.5:
                        photos.append(self.photo(room, ring_no * 100 + w, face))
            for _s in range(n_sight):
                t = start + r.uniform(0, 40)
                city = cities[min(len(cities) - 1, int(t - start) // 14)]
                p = r.randint(5, 9) * 100 if low else r.randint(15, 35) * 100
                sents = [x for x in template if r.random() > 0.15 or "{phone}" in x]
                body = " ".join(sents + wextra)
                body = body.format(name=name, age=age, city=city, phone=fmt_phone(r, phones[w]),
                                   adj=r.choice(ADJ[lang]))
                pr = r.choice(self.phr["price" if lang == "sv" else "price_en"]).format(p=p, h=p // 2 + 100)
                body += " " + pr + "."
                if speaks_en:
                    body += " " + r.choice(self.phr["speaks_en"])
                ad = {"seen_at": (T0 + timedelta(days=t)).isoformat(), "site": site if r.random() < 0.85 else r.choice(SITES),
                      "url": f"https://example.invalid/{r.randrange(10**9)}", "city": city,
                      "title": f"{name} {age}" if r.random() < 0.5 else f"Ny i {city}" if lang == "sv" else f"New in {city}",
                      "text": body}
                if profile:
                    ad["profile_name"] = profile
                if r.random() < 0.4:
                    ad["phones"] = [fmt_phone(r, phones[w])]
                if r.random() < 0.7:
                    ad["age"] = age
                if nat_field:
                    ad["nationality"] = country[0] if r.random() < 0.5 else country[1]
                if photos:
                    ad["images"] = photos
                f = set(wflags)
                if speaks_en:
                    f.add("swedish_ad_speaks_english")
                if third:
                    f.add("third_person")
                if low:
                    f.add("low_price")
                self.emit(ad, {"group": f"ring{ring_no}", "person": f"ring{ring_no}.{w}", "lang": lang,
                               "phones": [phones[w]], "flags": f, "city": city, "mode": mode,
                               "shared": mode in ("shared", "serial") and k > 1, "profile": profile})

    def independent(self, no: int) -> None:
        r = self.rng
        lang = r.choices(["sv", "en"], [0.7, 0.3])[0]
        bank = IND[lang]
        name = r.choice(NAMES)
        age = r.randint(19, 45)
        minor = r.random() < 0.01
        if minor:
            age = r.choice([16, 17])
        phone = self.new_phone()
        profile = self.handle(name.lower() + "_") if r.random() < 0.85 else None
        home = r.choice(CITIES)
        moves = r.random() < 0.1
        site = r.choice(SITES)
        sents = [
            f"{r.choice(bank['open'])}, {r.choice(bank['who'])}, {r.choice(bank['desc'])}.",
            f"{r.choice(bank['want'])}.",
            f"{r.choice(bank['want'])}.",
            r.choice(bank["rule"]),
            r.choice(bank["rule"]),
            f"{r.choice(bank['close'])}.",
        ]
        def fill(s: str, city: str) -> str:
            return s.format(name=name, age=age, a=r.choice(bank["a"]), b=r.choice(bank["a"]), h=r.choice(bank["h"]),
                            home=r.choice(bank["home"]), m=r.choice(bank["m"]), v=r.choice(bank["v"]),
                            phone="{phone}", city=city)
        base = [fill(s, home) for s in sents]
        r.shuffle(base)
        flags = set()
        foreign = r.random() < 0.12
        country = r.choice(FOREIGN)
        offers = r.random() < 0.04
        if offers:
            base.append(r.choice(self.phr["offers"][lang]))
            flags.add("offers_everything")
        if minor:
            base.append(r.choice(self.phr["minor"][lang]))
            flags.add("possible_minor")
        if foreign:
            flags.add("not_from_sweden")
        agency = r.random() < 0.03
        price = r.randint(15, 40) * 100
        start = r.uniform(0, SPAN_DAYS - 10)
        n_sight = r.choices([1, 2, 3, 4], [0.5, 0.25, 0.15, 0.1])[0]
        cities = [home, r.choice([c for c in CITIES if c != home])] if moves else [home]
        photos = []
        if self.images:
            ir = self.img_rng
            room = self.room()
            face = ir.random() < FACE_SHARE
            photos = [self.photo(room, 5_000_000 + no, face) for _ in range(ir.randint(1, 2))]
            if ir.random() < STOCK_SHARE:
                photos.append(self.stock_photo())
        for s in range(n_sight):
            city = cities[s % len(cities)]
            body = " ".join(base).replace("{phone}", fmt_phone(r, phone))
            body += " " + r.choice(self.phr["price" if lang == "sv" else "price_en"]).format(p=price, h=price // 2 + 100)
            if agency:
                ag = r.choice(self.agency)
                body += (" Bokning via " if lang == "sv" else " Booking via ") + fmt_phone(r, ag)
            ad = {"seen_at": (T0 + timedelta(days=start + r.uniform(0, 10))).isoformat(), "site": site,
                  "city": city, "title": f"{name} i {city}" if lang == "sv" else f"{name} in {city}", "text": body}
            if profile:
                ad["profile_name"] = profile
            if r.random() < 0.5:
                ad["phones"] = [fmt_phone(r, phone)]
            if r.random() < 0.7:
                ad["age"] = age
            if foreign:
                ad["nationality"] = country[0]
            elif r.random() < 0.3:
                ad["nationality"] = r.choice(["Sverige", "svensk"])
            if photos:
                ad["images"] = photos
            f = set(flags)
            if agency:
                f.add("shared_phone")
            ph = [phone] + ([ag] if agency else [])
            self.emit(ad, {"group": f"ind{no}", "person": f"ind{no}", "lang": lang, "phones": sorted(ph),
                           "flags": f, "city": city, "mode": "ind", "shared": False, "profile": profile})


def finish_truth(g: Gen) -> None:
    """moves_between_cities, shared_phone, face_visible and same_place_photos from the truth
    itself: the same phone or profile (one person) in two or more cities; a number on two or more
    women or in a serial run; a pasted face; a room shown in photos of two or more women."""
    agency = set(g.agency)
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for ad, t in zip(g.ads, g.truth, strict=True):
        keys = [f"p:{p}" for p in t["phones"] if p not in agency]
        if t["profile"]:
            keys.append(f"n:{ad['site']}:{t['profile'].lower()}")
        keys.append(f"w:{t['person']}")
        for k in keys[1:]:
            parent[find(k)] = find(keys[0])
        t["_key"] = keys[0]
    cities: dict[str, set[str]] = {}
    for t in g.truth:
        cities.setdefault(find(t["_key"]), set()).add(t["city"])
    for t in g.truth:
        if len(cities[find(t["_key"])]) > 1:
            t["flags"].add("moves_between_cities")
        if t["shared"]:
            t["flags"].add("shared_phone")
        del t["_key"]
    # photos: a face shows in one of the ad's photos; the room of one of its photos (a stock
    # photo's excepted: it proves nothing) is seen in photos of another woman in the corpus
    room_people: dict[str, set[str]] = {}
    for ad, t in zip(g.ads, g.truth, strict=True):
        for name in ad.get("images", ()):
            m = g.photo_meta[name]
            if not m["stock"]:
                room_people.setdefault(m["room"], set()).add(t["person"])
    for ad, t in zip(g.ads, g.truth, strict=True):
        metas = [g.photo_meta[name] for name in ad.get("images", ())]
        if any(m["face"] for m in metas):
            t["flags"].add("face_visible")
        if any(not m["stock"] and len(room_people[m["room"]]) > 1 for m in metas):
            t["flags"].add("same_place_photos")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--phrasings", choices=["A", "B", "C"], default="A")
    ap.add_argument("--images", default=None, help="directory for generated photos (slow)")
    ap.add_argument("--ring-share", type=float, default=0.35, help="share of ads from rings")
    ap.add_argument("-o", "--out", help="the ads file (required unless --smoke)")
    ap.add_argument("--smoke", action="store_true", help="300 ads; without -o into a temporary directory")
    a = ap.parse_args()
    if a.smoke:
        a.n = 300
        if not a.out:
            import tempfile

            a.out = str(Path(tempfile.mkdtemp(prefix="bench-corpus-")) / "smoke_300.jsonl")
    if not a.out:
        ap.error("-o/--out is required (without --smoke)")
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    img = Path(a.images) if a.images else None
    if img:
        img.mkdir(parents=True, exist_ok=True)
    g = Gen(a.seed, a.phrasings, img.resolve() if img else None, out.resolve().parent, a.n)
    ring_no = ind_no = 0
    while len(g.ads) < a.n:
        if g.rng.random() < a.ring_share / 6:  # a ring yields ~6x the ads of an independent
            ring_no += 1
            g.ring(ring_no)
        else:
            ind_no += 1
            g.independent(ind_no)
    g.ads = g.ads[: a.n]
    g.truth = g.truth[: a.n]
    finish_truth(g)
    order = sorted(range(len(g.ads)), key=lambda i: g.ads[i]["seen_at"])
    with open(out, "w", encoding="utf-8") as fh, open(str(out) + ".truth.jsonl", "w", encoding="utf-8") as th:
        for i in order:
            fh.write(json.dumps(g.ads[i], ensure_ascii=False) + "\n")
            t = g.truth[i]
            t["flags"] = sorted(t["flags"])
            th.write(json.dumps(t, ensure_ascii=False) + "\n")
    if a.smoke:
        print(f"{len(order)} ads written to {out}")


if __name__ == "__main__":
    main()
