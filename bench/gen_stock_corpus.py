"""Adversarial corpus: independent advertisers writing from a small shared pool of stock sentences.

    .venv/bin/python bench/gen_stock_corpus.py --n 20000 --seed 11 --bank T -o bench/out/stockT20k.jsonl

Writes OUT (the ads, the engine's input format) and OUT.truth.jsonl (per ad: id, group, person,
lang, phones = the advertiser's own numbers, other_phones = third-party numbers printed in the
ad, flags, city, profile, plus site, mode and template for inspection), so that
`bench/evaluate.py OUT analysed.jsonl` works unchanged. A summary goes to OUT.stats.json and
stderr.

What makes it adversarial (issue 15, items 1 and 2):
- independent women compose their ads from their language's shared stock sentences ("Hör av dig
  med sms först, tack.") with at most one sentence of their own, so unrelated ads share most of
  their text;
- many of them show the same plain display name ("Anna", "Bella") on the same site, each with
  her own phone;
- taxi, hotel and booking-line numbers are printed in many unrelated ads (truth: other_phones,
  never phones, never shared_phone);
- rings (2–8 women) write from a template of their own sentences plus stock ones, with one
  shared phone, a serial run, exactly two adjacent numbers, or a number each (then the text is
  the only link); some ring sentences are borrowed by 2–3 rings, and some pairs of unrelated
  rings paste the same template months apart in other towns with other numbers;
- numbers are written in every style, including emoji and symbols between digits, number words,
  look-alike letters, non-breaking and zero-width spaces.

--bank T|H picks one of two disjoint phrase banks (bench/stock_phrases.py) with their own
stock pools, ring phrasing and evasion habits. H is held out: never tune on it or read it.
Indicator wording is gen_corpus's banks (T: A and B, H: C) plus each bank's own additions.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_corpus import CITIES, EN_WORDS, FOREIGN, NAMES, PREFIXES, SITES, SV_WORDS, T0, P, fmt_phone  # noqa: E402
from stock_phrases import BANKS, sentences  # noqa: E402

# ---- proportions (why, in one line each) -------------------------------------------------------
# Share of ads written by independent women: most ads on these sites are, rings are the few that matter.
IND_AD_SHARE = 0.70
# Days the corpus spans: long enough that two rings pasting one template can be months apart.
SPAN_DAYS = 180
# Languages of independents and of rings: Swedish sites, many foreign women, Romanian a common origin.
IND_LANGS = {"sv": 0.62, "en": 0.28, "ro": 0.10}
RING_LANGS = {"sv": 0.45, "en": 0.40, "ro": 0.15}
# Stock sentences per independent ad: real ads are short and made of a handful of stock phrases.
IND_STOCK_SENTENCES = (3, 7)
# Share of independents who add one sentence of their own (0–1 personal sentence).
IND_PERSONAL_SHARE = 0.5
# Independents who copy a popular selection of stock sentences whole (a friend's ad, a site's
# example), so that many unrelated ads are nearly the same text: the case that chains by text.
IND_COPY_SHARE = 0.35
# How many popular selections per language, their length, and their popularity skew (Zipf).
COPY_COMBOS = 25
COPY_SENTENCES = (4, 6)
COPY_ZIPF = 1.0
# Independents who write their number in the text (the others only in the site's phone field, so
# their text is stock sentences alone).
IND_PHONE_IN_TEXT = 0.6
# Popularity skew of stock sentences (Zipf exponent): a few phrases are in almost every ad.
STOCK_ZIPF = 0.8
# Share of stock sentences written with small changes (punctuation, casing, an emoji), as people type.
STYLE_VARIATION = 0.15
# Sightings per independent and the days they spread over: re-posts over days to weeks.
IND_SIGHTINGS = ((1, 2, 3, 4), (0.45, 0.27, 0.17, 0.11))
IND_REPOST_DAYS = 21
# Independents who move to a second town, and who cross-post on a second site.
IND_MOVE_SHARE = 0.08
IND_SECOND_SITE_SHARE = 0.06
# Display names: a plain first name for most independents and many ring women, a handle otherwise.
IND_PLAIN_NAME = 0.60
IND_HANDLE = 0.30
RING_PLAIN_NAME = 0.40
RING_HANDLE = 0.40
# Plain display names, most popular first (Zipf exponent below): many "Anna" on every site.
PLAIN_NAMES = ["Anna", "Bella", "Sofia", "Maria", "Emma", "Lisa", "Sara", "Julia", "Nora", "Mia", "Elena",
               "Jessica", "Angel", "Linda", "Nikki", "Amanda", "Diana", "Kim", "Luna", "Stella", "Olivia", "Moa",
               "Tina", "Camilla", "Sandra"]
NAME_ZIPF = 1.0
# Town weights: ads follow population, Stockholm first (order of gen_corpus's CITIES).
CITY_ZIPF = 0.9
# Ads whose town field is written another way ("Sthlm", "Göteborg centrum"): not a move.
CITY_SPELLING_SHARE = 0.04
CITY_SPELLINGS = {"Stockholm": ["Sthlm", "Stockholm City", "stockholm"], "Göteborg": ["Gbg", "Göteborg centrum"],
                  "Malmö": ["Malmo", "Malmö C"], "Uppsala": ["Uppsala centrum"], "Örebro": ["Orebro"]}
# Third-party numbers (taxi, hotel reception, booking line): as many as keep each printed in about
# this many ads, so every one is in dozens of unrelated ads at any corpus size.
THIRD_PARTY_ADS_PER_NUMBER = 60
# Share of mentions that are a national booking line (the rest a taxi or hotel in the ad's town).
THIRD_PARTY_NATIONAL = 0.4
THIRD_PARTY_MIN_NATIONAL = 2
# Advertisers who print one: some independents, fewer rings.
THIRD_PARTY_SHARE_IND = 0.08
THIRD_PARTY_SHARE_RING = 0.05
# Ring sizes (women) 2..8: a handful is typical, eight is a big operation.
RING_SIZES = ((2, 3, 4, 5, 6, 7, 8), (0.18, 0.22, 0.2, 0.15, 0.11, 0.08, 0.06))
# Phone modes: one shared phone, a serial run (3+ near-consecutive), exactly two adjacent numbers,
# or a number each (the text is then the only link).
RING_MODES = {"shared": 0.28, "serial": 0.24, "pair": 0.16, "own": 0.32}
# Rings writing about the woman in the third person (sv/en; Romanian rings write in the first, as in gen_corpus).
RING_THIRD_PERSON = 0.7
# Ring-specific sentences and stock sentences per template.
RING_SENTENCES = (2, 4)
RING_STOCK = (1, 3)
# A ring's campaign (days), sightings per woman, share of ads on the ring's own site, towns it works.
RING_DAYS = (14, 40)
RING_SIGHTINGS = (1, 5)
RING_SAME_SITE = 0.85
RING_CITIES = (2, 5)
# Each template sentence is dropped from one ad with this probability (ads are edited per woman).
RING_DROP_SENTENCE = 0.15
# Rings that borrow one sentence from another ring (each sentence is used by at most 3 rings).
BORROW_SHARE = 0.2
BORROW_MAX_RINGS = 3
# Rings that paste an earlier ring's whole template (a popular template, other numbers, towns, months).
POPULAR_TEMPLATE_SHARE = 0.08
POPULAR_MIN_GAP_DAYS = 60
# Share of numbers written with the bank's own evasion habits (the rest as gen_corpus.fmt_phone).
EVASION_SHARE = 0.35
# Independents: indicator rates (rings use gen_corpus's rates).
IND_OFFERS = 0.04
IND_MINOR = 0.01
IND_MINOR_NEGATIVE = 0.05
IND_FOREIGN = 0.12
RO_NATIONALITY = 0.6
# Share of ring women who may be minors (gen_corpus's rate).
RING_MINOR = 0.03
# Share of implied-youth sentences taken from the bank's own list (the rest from gen_corpus's).
IMPLIED_YOUTH_SHARE = 0.6
# gen_corpus phrase banks used for indicator wording: T tunes on A/B, H is checked on C.
GC_BANKS = {"T": ["A", "B"], "H": ["C"]}
# gen_corpus's possible_minor phrases that are plain "young girl": the issue says that alone is no flag.
MINOR_EXCLUDE = {"Young girl, new to this."}

SLOT_RE = re.compile(r"<(\w+)>")
SHE_RE = re.compile(r"\b(hon|henne|hennes|she|her)\b", re.IGNORECASE)
AREA_CODES = {"Stockholm": ("8", (7, 8)), "Göteborg": ("31", (6, 7)), "Malmö": ("40", (6, 7)),
              "Uppsala": ("18", (6,)), "Västerås": ("21", (6,)), "Örebro": ("19", (6,)), "Linköping": ("13", (6,)),
              "Helsingborg": ("42", (6,)), "Jönköping": ("36", (6,)), "Norrköping": ("11", (6,)),
              "Lund": ("46", (6,)), "Umeå": ("90", (6,)), "Gävle": ("26", (6,)), "Borås": ("33", (6,)),
              "Södertälje": ("8", (7,)), "Eskilstuna": ("16", (6,)), "Halmstad": ("35", (6,)),
              "Växjö": ("470", (5, 6)), "Karlstad": ("54", (6,)), "Sundsvall": ("60", (6,)),
              "Luleå": ("920", (5, 6)), "Östersund": ("63", (6,)), "Kalmar": ("480", (5, 6)),
              "Falun": ("23", (6,))}
SV_NOUNS = {"0": "nolla", "1": "etta", "2": "tvåa", "3": "trea", "4": "fyra", "5": "femma", "6": "sexa",
            "7": "sjua", "8": "åtta", "9": "nia"}
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


# ---- numbers -------------------------------------------------------------------------------------
def _groups(nat: str) -> list[str]:
    return [nat[:3], nat[3:6], nat[6:8], nat[8:]]


def _t_emoji(r: random.Random, nat: str) -> str:
    return r.choice(["🔥", "💋", "❤️", "✨"]).join(_groups(nat))


def _t_bullets(r: random.Random, nat: str) -> str:
    return " • ".join(" ".join(g) for g in _groups(nat))


def _t_nbsp(r: random.Random, nat: str) -> str:
    if r.random() < 0.5:
        return "\u00a0".join(_groups(nat))
    return "+46\u00a0" + nat[1:3] + "\u00a0" + "\u00a0".join(_groups(nat)[1:])


def _zwsp(r: random.Random, s: str, ch: str = "\u200b") -> str:
    for _ in range(r.randint(1, 2)):
        k = r.randint(1, len(s) - 1)
        s = s[:k] + ch + s[k:]
    return s


def _t_zwsp(r: random.Random, nat: str) -> str:
    return _zwsp(r, nat if r.random() < 0.5 else f"{nat[:3]}-{nat[3:]}")


def _t_lookalike(r: random.Random, nat: str) -> str:
    s = f"{nat[:3]}-{nat[3:6]} {nat[6:8]} {nat[8:]}"
    out = "".join("O" if c == "0" and r.random() < 0.6 else "l" if c == "1" and r.random() < 0.6 else c for c in s)
    return out if out != s else s.replace("0", "O", 1)


def _t_sv_words(r: random.Random, nat: str) -> str:
    return ", ".join(" ".join(SV_WORDS[c] for c in g) for g in _groups(nat))


def _t_en_words(r: random.Random, nat: str) -> str:
    return " - ".join(" ".join(EN_WORDS[c] for c in g) for g in _groups(nat))


def _t_plus_zero(r: random.Random, nat: str) -> str:
    return f"+46 (0){nat[1:3]}-{nat[3:6]} {nat[6:8]} {nat[8:]}"


def _h_keycap(r: random.Random, nat: str) -> str:
    cap = "\ufe0f\u20e3"
    return " ".join("".join(c + cap for c in g) for g in _groups(nat))


def _h_symbol(r: random.Random, nat: str) -> str:
    sep = r.choice(["♥", "★", "✿", "·"])
    return (f" {sep} " if r.random() < 0.5 else sep).join(_groups(nat))


def _h_fullwidth(r: random.Random, nat: str) -> str:
    return " ".join(_groups(nat)).translate(FULLWIDTH)


def _h_narrow(r: random.Random, nat: str) -> str:
    sep = r.choice(["\u202f", "\u00a0"])
    return "+46" + sep + nat[1:3] + sep + sep.join(_groups(nat)[1:])


def _h_zero_width(r: random.Random, nat: str) -> str:
    return _zwsp(r, f"{nat[:3]} {nat[3:]}", r.choice(["\u200b", "\u200d", "\u2060"]))


def _h_mixed(r: random.Random, nat: str) -> str:
    g = _groups(nat)
    words = SV_WORDS if r.random() < 0.6 else EN_WORDS
    k = r.randrange(1, 4)
    g[k] = " ".join(words[c] for c in g[k])
    return " ".join(g)


def _h_sv_nouns(r: random.Random, nat: str) -> str:
    return " ".join(SV_NOUNS[c] for c in nat)


def _h_oh(r: random.Random, nat: str) -> str:
    return ", ".join(" ".join("oh" if c == "0" else EN_WORDS[c] for c in g) for g in _groups(nat))


def _h_lookalike(r: random.Random, nat: str) -> str:
    s = ".".join(_groups(nat))
    one = r.choice(["I", "|"])
    out = "".join("O" if c == "0" and r.random() < 0.7 else one if c == "1" and r.random() < 0.7 else c for c in s)
    return out if out != s else s.replace("0", "O", 1)


def _h_dots(r: random.Random, nat: str) -> str:
    return ".".join(nat)


def _h_0046(r: random.Random, nat: str) -> str:
    return f"0046-{nat[1:3]}-{nat[3:6]} {nat[6:8]} {nat[8:]}"


# The evasion habits of each bank's writers (both cover emoji/symbols, NBSP, zero-width, words,
# look-alikes; each in its own way).
EVASIONS = {
    "T": [_t_emoji, _t_bullets, _t_nbsp, _t_zwsp, _t_lookalike, _t_sv_words, _t_en_words, _t_plus_zero],
    "H": [_h_keycap, _h_symbol, _h_fullwidth, _h_narrow, _h_zero_width, _h_mixed, _h_sv_nouns, _h_oh,
          _h_lookalike, _h_dots, _h_0046],
}


def fmt_tp(r: random.Random, e164: str) -> str:
    """A third-party number as a business prints it: plainly, area code first."""
    nat = "0" + e164[3:]
    if nat.startswith("07") and not nat.startswith("0771"):
        return f"{nat[:3]}-{nat[3:6]} {nat[6:8]} {nat[8:]}"
    a = 2 if nat.startswith("08") else 4 if nat[1:4] in ("470", "920", "480", "771") else 3
    sub = nat[a:]
    if r.random() < 0.7:  # Swedish grouping: pairs from the end, a leading three for odd lengths
        head = 3 if len(sub) % 2 else 2
        return f"{nat[:a]}-{' '.join([sub[:head]] + [sub[i:i + 2] for i in range(head, len(sub), 2)])}"
    return f"+46 {nat[1:a]} {sub}"


# ---- helpers -------------------------------------------------------------------------------------
def zipf_cum(n: int, s: float) -> list[float]:
    return list(itertools.accumulate(1.0 / (k + 1) ** s for k in range(n)))


def pick(r: random.Random, d: dict[str, float]) -> str:
    return r.choices(list(d), list(d.values()))[0]


def fill_slots(r: random.Random, frame: str, slots: dict) -> str:
    return SLOT_RE.sub(lambda m: r.choice(slots[m.group(1)]), frame)


class StockGen:
    def __init__(self, seed: int, bank: str, n: int) -> None:
        self.rng = random.Random(seed)
        self.bank_name = bank
        self.B = BANKS[bank]
        self.gc = [P[k] for k in GC_BANKS[bank]]
        self.evasions = EVASIONS[bank]
        self.used_phones: set[str] = set()
        self.handles: set[str] = set()
        self.ads: list[tuple[str, str]] = []  # (seen_at, json line)
        self.truth: list[dict] = []
        self.next_id = 0
        self.stats: Counter = Counter()
        r = self.rng
        # stock pools: popularity order shuffled per corpus, Zipf weights
        self.stock: dict[tuple[str, str], tuple[list[str], list[float]]] = {}
        for lang, pools in self.B["stock"].items():
            for who in ("i", "n", "all"):
                lst = list(pools["i"] + pools["n"]) if who == "all" else list(pools[who])
                r.shuffle(lst)
                self.stock[(lang, who)] = (lst, zipf_cum(len(lst), STOCK_ZIPF))
        self.name_cum = zipf_cum(len(PLAIN_NAMES), NAME_ZIPF)
        # popular selections of stock sentences, most copied first
        self.combos = {}
        for lang in self.B["stock"]:
            combos = [tuple(self.stock_sample(lang, "all", r.randint(*COPY_SENTENCES))) for _ in range(COPY_COMBOS)]
            self.combos[lang] = (combos, zipf_cum(len(combos), COPY_ZIPF))
        self.city_cum = zipf_cum(len(CITIES), CITY_ZIPF)
        # third-party numbers: booking lines for the whole country, taxis and hotels per town, as
        # many as keep each printed in about THIRD_PARTY_ADS_PER_NUMBER ads
        expected = n * (IND_AD_SHARE * THIRD_PARTY_SHARE_IND + (1 - IND_AD_SHARE) * THIRD_PARTY_SHARE_RING)
        total_w = self.city_cum[-1]
        self.tp: list[tuple[str, str, str | None]] = []
        self.tp_national: list[int] = []
        self.tp_local: dict[str, list[int]] = defaultdict(list)
        for _ in range(max(THIRD_PARTY_MIN_NATIONAL, round(expected * THIRD_PARTY_NATIONAL / THIRD_PARTY_ADS_PER_NUMBER))):
            num = self.new_phone() if r.random() < 0.5 else self._landline("771", 6)
            self.tp_national.append(len(self.tp))
            self.tp.append((num, "booking", None))
        prev = 0.0
        for c, cum in zip(CITIES, self.city_cum, strict=True):
            local = expected * (1 - THIRD_PARTY_NATIONAL) * (cum - prev) / total_w
            prev = cum
            code, lens = AREA_CODES[c]
            for _ in range(int(local / THIRD_PARTY_ADS_PER_NUMBER)):  # none in a town too small to print one often
                self.tp_local[c].append(len(self.tp))
                self.tp.append((self._landline(code, r.choice(lens)), r.choice(["taxi", "hotel"]), c))
        self.templates: list[dict] = []  # rings' templates, candidates for a popular paste
        self.borrowable: dict[tuple[str, int], list[list]] = defaultdict(list)  # (lang, person) -> [[sentence, uses]]

    # -- primitives ------------------------------------------------------------------------------
    def city(self) -> str:
        return self.rng.choices(CITIES, cum_weights=self.city_cum)[0]

    def _landline(self, code: str, length: int) -> str:
        while True:
            sub = str(self.rng.randint(2, 9)) + "".join(str(self.rng.randrange(10)) for _ in range(length - 1))
            p = "+46" + code + sub
            if p not in self.used_phones:
                self.used_phones.add(p)
                return p

    def new_phone(self) -> str:
        while True:
            p = "+46" + self.rng.choice(PREFIXES) + f"{self.rng.randrange(10**7):07d}"
            if p not in self.used_phones:
                self.used_phones.add(p)
                return p

    def serial_phones(self, k: int, steps: tuple[int, ...]) -> list[str]:
        """k numbers of one batch of SIM cards; neighbours (±5) of the run are kept free so that
        no independent's number extends it by chance."""
        while True:
            base = "+46" + self.rng.choice(PREFIXES)
            start = self.rng.randrange(10, 10**7 - 60)
            nums, cur = [], start
            for _ in range(k):
                nums.append(cur)
                cur += self.rng.choice(steps)
            near = [base + f"{x:07d}" for x in range(nums[0] - 5, nums[-1] + 6)]
            if not any(x in self.used_phones for x in near):
                self.used_phones.update(near)
                return [base + f"{x:07d}" for x in nums]

    def handle(self, name: str, city: str) -> str:
        r = self.rng
        while True:
            h = r.choice([f"{name}{r.randrange(10, 10000)}", f"{name.lower()}_{city.lower()[:4]}{r.randrange(100)}",
                          f"Sweet{name}{r.randrange(1000)}", f"{name}.{r.randrange(1985, 2006)}",
                          f"x{name.lower()}x{r.randrange(100)}"])
            if h not in self.handles:
                self.handles.add(h)
                return h

    def fmt_own(self, e164: str) -> str:
        """The advertiser's own number as written in the text: the bank's evasions or gen_corpus's styles."""
        r = self.rng
        if r.random() < EVASION_SHARE:
            f = r.choice(self.evasions)
            self.stats[f"style:{f.__name__}"] += 1
            return f(r, "0" + e164[3:])
        self.stats["style:fmt_phone"] += 1
        return fmt_phone(r, e164)

    def vary(self, s: str) -> str:
        """A stock sentence as one woman types it: punctuation, casing or an emoji changed."""
        r = self.rng
        if r.random() >= STYLE_VARIATION:
            return s
        k = r.random()
        if k < 0.3:
            return s.rstrip(".!")
        if k < 0.5:
            return s[:-1] + "!" if s.endswith(".") else s + "!"
        if k < 0.65:
            return s[:1].lower() + s[1:]
        if k < 0.8:
            return s + " " + r.choice(self.B["emoji"])
        if k < 0.92 or "{" in s:  # a placeholder must keep its case
            return s[:-1] + "..." if s.endswith(".") else s
        return s.upper()

    def stock_sample(self, lang: str, who: str, k: int) -> list[str]:
        lst, cum = self.stock[(lang, who)]
        k = min(k, len(lst))
        out: list[str] = []
        seen: set[str] = set()
        while len(out) < k:
            s = self.rng.choices(lst, cum_weights=cum)[0]
            if s not in seen:
                seen.add(s)
                out.append(s)
        return out

    def third_party(self, city: str) -> tuple[str, str]:
        r = self.rng
        local = self.tp_local.get(city)
        k = r.choice(local) if local and r.random() >= THIRD_PARTY_NATIONAL else r.choice(self.tp_national)
        num, kind, _ = self.tp[k]
        return num, kind

    def price(self, lang: str, gc: dict, low: bool) -> tuple[str, int, int]:
        """A price form and its amounts: (form, hourly p, half hour h); h is chosen so that the
        hourly equivalent is p (only a half hour stated) or above p (both stated)."""
        r = self.rng
        key = "price" if lang == "sv" else "price_en"
        forms = [(f, "plus" if "{h}" in f else "hour") for f in gc[key]] + list(self.B[key])
        form, rule = r.choice(forms)
        p = r.randint(5, 9) * 100 if low else r.randint(15, 35) * 100
        return form, p, p // 2 if rule == "half" else p // 2 + 100

    def minor_phrase(self, gc: dict, il: str, person: int) -> tuple[str, int]:
        """A possible_minor sentence and an age that agrees with it: 17 for implied youth ("turning
        18 soon"), 18 for "just turned 18", else 16–19 as gen_corpus."""
        r = self.rng
        if r.random() < IMPLIED_YOUTH_SHARE:
            return r.choice(self.B["minor_pos"][f"{il}{person}"]), 17
        s = r.choice([s for s in gc["minor"][il] if s not in MINOR_EXCLUDE])
        return s, 18 if "18" in s else r.choice([16, 17, 18, 19])

    def emit(self, ad: dict, truth: dict) -> None:
        self.next_id += 1
        ad = {"id": f"ad{self.next_id:07d}", **ad}
        truth = {"id": ad["id"], **truth}
        self.ads.append((ad["seen_at"], json.dumps(ad, ensure_ascii=False)))
        self.truth.append(truth)

    def display(self, city: str, name: str, plain: float, handle: float) -> tuple[str | None, bool, str]:
        """(profile name as shown, is it a unique handle, the name the text uses)."""
        r = self.rng
        k = r.random()
        if k < plain:
            shown = name
            c = r.random()
            if c < 0.05:
                shown = name.upper()
            elif c < 0.1:
                shown = name.lower()
            return shown, False, name
        if k < plain + handle:
            return self.handle(name, city), True, name
        return None, False, name

    def written_city(self, city: str) -> str:
        if city in CITY_SPELLINGS and self.rng.random() < CITY_SPELLING_SHARE:
            return self.rng.choice(CITY_SPELLINGS[city])
        return city

    # -- independent advertisers -----------------------------------------------------------------
    def independent(self, no: int) -> int:
        r = self.rng
        lang = pick(r, IND_LANGS)
        il = "sv" if lang == "sv" else "en"
        gc = r.choice(self.gc)
        home = self.city()
        plain_name = r.choices(PLAIN_NAMES, cum_weights=self.name_cum)[0]
        k = r.random()
        if k < IND_PLAIN_NAME:
            profile, is_handle, name = plain_name, False, plain_name
            c = r.random()
            profile = plain_name.upper() if c < 0.04 else plain_name.lower() if c < 0.1 else plain_name
        elif k < IND_PLAIN_NAME + IND_HANDLE:
            name = r.choice(NAMES + PLAIN_NAMES)
            profile, is_handle = self.handle(name, home), True
        else:
            name = r.choice(NAMES + PLAIN_NAMES)
            profile, is_handle = None, False
        age = r.randint(19, 45)
        minor = r.random() < IND_MINOR
        phone = self.new_phone()
        site = r.choice(SITES)
        sites = [site, r.choice([s for s in SITES if s != site])] if r.random() < IND_SECOND_SITE_SHARE else [site]
        moves = r.random() < IND_MOVE_SHARE
        cities = [home, r.choice([c for c in CITIES if c != home])] if moves else [home]
        # her text: stock sentences, maybe one of her own, extras, a contact line
        if r.random() < IND_COPY_SHARE:
            # she copies a popular selection (a friend's ad, a site's example), edited a little
            combos, cum = self.combos[lang]
            picked = list(r.choices(combos, cum_weights=cum)[0])
            if r.random() < 0.3 and len(picked) > IND_STOCK_SENTENCES[0]:
                picked.pop(r.randrange(len(picked)))
            if r.random() < 0.3:
                extra = self.stock_sample(lang, "all", 1)[0]
                if extra not in picked:
                    picked.insert(r.randrange(len(picked) + 1), extra)
            if r.random() < 0.5:
                a, b = r.randrange(len(picked)), r.randrange(len(picked))
                picked[a], picked[b] = picked[b], picked[a]
            self.stats["independents_copying_a_selection"] += 1
        else:
            picked = self.stock_sample(lang, "all", r.randint(*IND_STOCK_SENTENCES))
        sents = [self.vary(s) for s in picked]
        if r.random() < IND_PERSONAL_SHARE:
            pb = self.B["personal"][lang]
            sents.append(fill_slots(r, r.choice(pb["frames"]), pb))
        flags: set[str] = set()
        if r.random() < IND_OFFERS:
            sents.append(r.choice(gc["offers"][il] + self.B["offers"][il]))
            flags.add("offers_everything")
        if minor:
            phrase, age = self.minor_phrase(gc, il, 1)
            sents.append(phrase)
            flags.add("possible_minor")
        elif r.random() < IND_MINOR_NEGATIVE:
            sents.append(r.choice(self.B["minor_neg"][il]))
            self.stats["minor_hard_negative_women"] += 1
        r.shuffle(sents)
        contact_in_text = r.random() < IND_PHONE_IN_TEXT
        if contact_in_text:
            contact = self.vary(r.choice(self.B["contact"][lang]["n"] + self.B["contact"][lang]["i"]))
            if r.random() < 0.8:
                sents.append(contact)
            else:
                sents.insert(r.randrange(len(sents) + 1), contact)
        tp = self.third_party(home) if r.random() < THIRD_PARTY_SHARE_IND else None
        if tp:
            sents.insert(r.randrange(len(sents) + 1), r.choice(self.B["third_party"][lang][tp[1]]))
        foreign = r.random() < (RO_NATIONALITY if lang == "ro" else IND_FOREIGN)
        country = r.choice(FOREIGN)
        if foreign:
            flags.add("not_from_sweden")
        form, p, h = self.price(lang, gc, low=False)
        title = r.choice(self.B["titles"][lang])
        start = r.uniform(0, SPAN_DAYS - IND_REPOST_DAYS)
        n_sight = r.choices(*IND_SIGHTINGS)[0]
        for s in range(n_sight):
            city = cities[min(s * len(cities) // n_sight, len(cities) - 1)]
            wcity = self.written_city(city)
            body = list(sents)
            if s and r.random() < 0.3:  # a re-post edited a little: two sentences swapped
                a, b = r.randrange(len(body)), r.randrange(len(body))
                body[a], body[b] = body[b], body[a]
            text = " ".join(body).format(name=name, age=age, city=city, phone=self.fmt_own(phone),
                                         tp=fmt_tp(r, tp[0]) if tp else "")
            text += " " + form.format(p=p, h=h) + "."
            ad = {"seen_at": (T0 + timedelta(days=start + r.uniform(0, IND_REPOST_DAYS))).isoformat(),
                  "site": sites[s % len(sites)], "url": f"https://example.invalid/{r.randrange(10**9)}",
                  "city": wcity, "title": title.format(name=name, age=age, city=city), "text": text}
            if profile:
                ad["profile_name"] = profile
            if r.random() < 0.5 or not contact_in_text:
                ad["phones"] = [fmt_phone(r, phone)]
            if r.random() < 0.7:
                ad["age"] = age
            if foreign:
                ad["nationality"] = country[0] if r.random() < 0.5 else country[1]
            elif lang == "sv" and r.random() < 0.3:
                ad["nationality"] = r.choice(["Sverige", "svensk"])
            self.emit(ad, {"group": f"ind{no}", "person": f"ind{no}", "lang": lang, "phones": [phone],
                           "other_phones": [tp[0]] if tp else [], "flags": set(flags), "city": city,
                           "profile": profile, "site": ad["site"], "mode": "ind", "template": None,
                           "_handle": is_handle, "_shared": False})
        return n_sight

    # -- rings -----------------------------------------------------------------------------------
    def new_template(self, lang: str, person: int) -> list[str]:
        """2–4 ring-specific sentences (slots filled once for the ring; {name}/{age}/{city} per
        woman), 1–3 stock sentences, and a contact line."""
        r = self.rng
        rb = self.B["ring"][lang]
        frames = rb["frames3"] if person == 3 else rb["frames1"]
        own = [fill_slots(r, f, rb) for f in r.sample(frames, r.randint(*RING_SENTENCES))]
        pool = self.borrowable[(lang, person)]
        if pool and r.random() < BORROW_SHARE:
            entry = r.choice(pool)
            own.insert(r.randrange(len(own) + 1), entry[0])
            entry[1] += 1
            if entry[1] >= BORROW_MAX_RINGS:
                pool.remove(entry)
            self.stats["borrowed_sentences"] += 1
        if r.random() < 0.3:
            pool.append([r.choice(own), 1])
        who = "n" if person == 3 else "all"
        stock = self.stock_sample(lang, who, r.randint(*RING_STOCK))
        sents = list(own)
        for s in stock:
            sents.insert(r.randrange(len(sents) + 1), s)
        contacts = self.B["contact"][lang]["n"] + (self.B["contact"][lang]["i"] if person == 1 else [])
        if person == 3 and (r.random() < 0.6 or len([s for s in sents if SHE_RE.search(s)]) < 2):
            contacts = rb["contact3"]
        sents.append(r.choice(contacts))
        return sents

    def ring(self, no: int) -> int:
        r = self.rng
        lang = pick(r, RING_LANGS)
        il = "sv" if lang == "sv" else "en"
        gc = r.choice(self.gc)
        person = 3 if lang != "ro" and r.random() < RING_THIRD_PERSON else 1
        mode = pick(r, RING_MODES)
        k = r.choices(*RING_SIZES)[0]
        if mode == "pair":
            k = 2
        elif mode == "serial":
            k = max(k, 3)
        dur = r.randint(*RING_DAYS)
        start = r.uniform(0, SPAN_DAYS - dur)
        ring_cities = [self.city() for _ in range(r.randint(*RING_CITIES))]
        # a popular template pasted by an unrelated ring months apart, in other towns
        template = None
        if r.random() < POPULAR_TEMPLATE_SHARE:
            for t in reversed(self.templates[-400:]):
                if (t["lang"] == lang and t["person"] == person and not t["reused"]
                        and abs(t["start"] - start) >= POPULAR_MIN_GAP_DAYS):
                    t["reused"] = True
                    template = t
                    ring_cities = [c for c in CITIES if c not in t["cities"]]
                    r.shuffle(ring_cities)
                    ring_cities = ring_cities[: r.randint(*RING_CITIES)]
                    self.stats["popular_template_pairs"] += 1
                    break
        if template is None:
            template = {"id": f"tpl{no}", "lang": lang, "person": person, "start": start,
                        "cities": set(ring_cities), "reused": False, "sents": self.new_template(lang, person)}
            self.templates.append(template)
        sents = template["sents"]
        if mode == "shared":
            phones = [self.new_phone()] * k
        elif mode == "serial":
            phones = self.serial_phones(k, (1, 1, 1, 2, 3))
        elif mode == "pair":
            phones = self.serial_phones(2, (1,))
        else:
            phones = [self.new_phone() for _ in range(k)]
        self.stats[f"ring_mode:{mode}"] += 1
        # ring-level indicators, as gen_corpus
        extras: list[str] = []
        flags: set[str] = set()
        if r.random() < 0.6:
            extras.append(r.choice(gc["offers"][il] + self.B["offers"][il]))
            flags.add("offers_everything")
        if r.random() < 0.2:
            extras.append(r.choice(gc["talk"][il]))
            flags.add("do_not_talk")
        if r.random() < 0.08:
            extras.append(r.choice(gc["bdsm"][il]))
            flags.add("bdsm_third_party")
        country = r.choice(FOREIGN)
        foreign_text = r.random() < 0.5
        if foreign_text:
            extras.append(r.choice(gc["foreign"][il]).format(
                country_sv=country[0], country_en=country[1], nat_sv=country[2].capitalize(), nat_en=country[3]))
        nat_field = r.random() < 0.5
        if foreign_text or nat_field:
            flags.add("not_from_sweden")
        speaks_en = lang == "sv" and r.random() < 0.35
        speaks_en_text = r.choice(gc["speaks_en"] + self.B["speaks_en"]) if speaks_en else ""
        low = r.random() < 0.5
        form, p0, _ = self.price(lang, gc, low)
        site = r.choice(SITES)
        tp = self.third_party(ring_cities[0]) if r.random() < THIRD_PARTY_SHARE_RING else None
        if tp:
            tp_sent = r.choice(self.B["third_party"][lang][tp[1]])
        names = r.sample(NAMES, k)
        ads = 0
        for w in range(k):
            name = names[w]
            age = r.randint(19, 30)
            minor = r.random() < RING_MINOR
            profile, is_handle, name = self.display(ring_cities[0], name, RING_PLAIN_NAME, RING_HANDLE)
            n_c = min(len(ring_cities), r.randint(1, 3))
            wc = ring_cities[:]
            r.shuffle(wc)
            wc = wc[:n_c]
            wextra = list(extras)
            wflags = set(flags)
            if minor:
                phrase, age = self.minor_phrase(gc, il, person)
                wextra.append(phrase)
                wflags.add("possible_minor")
            n_sight = r.randint(*RING_SIGHTINGS)
            for _s in range(n_sight):
                t = r.uniform(0, dur)
                city = wc[min(len(wc) - 1, int(t * len(wc) / dur))]
                p = p0 + r.choice([0, 0, 100, -100]) if not low else p0
                h = p // 2 + (100 if "{p}" in form else 0)
                body = [x for x in sents if "{phone}" in x or r.random() > RING_DROP_SENTENCE]
                if tp:
                    body.insert(r.randrange(len(body) + 1), tp_sent)
                text = " ".join(body + wextra).format(name=name, age=age, city=city, phone=self.fmt_own(phones[w]),
                                                       tp=fmt_tp(r, tp[0]) if tp else "")
                text += " " + form.format(p=p, h=h) + "."
                if speaks_en:
                    text += " " + speaks_en_text
                ad_site = site if mode == "pair" or r.random() < RING_SAME_SITE else r.choice(SITES)
                title = r.choice(self.B["titles"][lang])
                ad = {"seen_at": (T0 + timedelta(days=start + t)).isoformat(), "site": ad_site,
                      "url": f"https://example.invalid/{r.randrange(10**9)}", "city": self.written_city(city),
                      "title": title.format(name=name, age=age, city=city), "text": text}
                if profile:
                    ad["profile_name"] = profile
                if r.random() < 0.4:
                    ad["phones"] = [fmt_phone(r, phones[w])]
                if r.random() < 0.7:
                    ad["age"] = age
                if nat_field:
                    ad["nationality"] = country[0] if r.random() < 0.5 else country[1]
                f = set(wflags)
                if speaks_en:
                    f.add("swedish_ad_speaks_english")
                if person == 3:
                    f.add("third_person")
                if low:
                    f.add("low_price")
                self.emit(ad, {"group": f"ring{no}", "person": f"ring{no}.{w}", "lang": lang, "phones": [phones[w]],
                               "other_phones": [tp[0]] if tp else [], "flags": f, "city": city, "profile": profile,
                               "site": ad_site, "mode": mode, "template": template["id"], "_handle": is_handle,
                               # one number on several women, a serial run, or a corroborated adjacent pair
                               "_shared": mode in ("shared", "serial", "pair")})
                ads += 1
        return ads


def finish_truth(g: StockGen) -> None:
    """moves_between_cities and shared_phone from the truth: a woman (her own ads, known by her
    profile or a number of her own) seen in two or more towns is a move (the issue: a profile's
    own change of town, not the spread of its group; a third-party number joins nobody);
    shared_phone for ring numbers on several women, in a serial run or an adjacent pair, never
    for a third-party number."""
    towns: dict[str, set[str]] = defaultdict(set)
    for t in g.truth:
        # a woman without a profile behind a number she shares is not told apart from the ring
        # she works for: her towns are the ring's spread to anyone reading the ads
        if t["profile"] or t["mode"] != "shared":
            towns[t["person"]].add(t["city"])
    for t in g.truth:
        if len(towns[t["person"]]) > 1:
            t["flags"].add("moves_between_cities")
        if t["_shared"]:
            t["flags"].add("shared_phone")
        del t["_shared"], t["_handle"]


def corpus_stats(g: StockGen, n_ind: int, n_ring: int, seconds: float) -> dict:
    truth = g.truth
    gsize = Counter(t["group"] for t in truth)
    women = defaultdict(set)
    for t in truth:
        women[t["group"]].add(t["person"])
    bins = [(1, 1), (2, 2), (3, 5), (6, 10), (11, 20), (21, 50), (51, 10**9)]

    def binned(sizes: list[int]) -> dict[str, int]:
        out = {}
        for lo, hi in bins:
            out[f"{lo}" if lo == hi else f"{lo}+" if hi > 10**8 else f"{lo}-{hi}"] = sum(lo <= s <= hi for s in sizes)
        return out

    ring_groups = [gname for gname in gsize if gname.startswith("ring")]
    # same display name (casefolded) on the same site with a different own phone
    by_name: dict[tuple[str, str], set[str]] = defaultdict(set)
    for t in truth:
        if t["profile"]:
            by_name[(t["site"], t["profile"].casefold())].add(t["phones"][0])
    name_clash_ads = sum(1 for t in truth if t["profile"] and len(by_name[(t["site"], t["profile"].casefold())]) > 1)
    clash_keys = [k for k, v in by_name.items() if len(v) > 1]
    biggest = max(by_name.items(), key=lambda kv: len(kv[1])) if by_name else None
    tp_ads = Counter(p for t in truth for p in t["other_phones"])
    tp_people: dict[str, set[str]] = defaultdict(set)
    for t in truth:
        for p in t["other_phones"]:
            tp_people[p].add(t["person"])
    tp_counts = sorted(tp_ads.values())
    wp = sorted(len(v) for v in tp_people.values())
    flags = Counter(f for t in truth for f in t["flags"])
    return {
        "ads": len(truth), "seconds": round(seconds, 1), "bank": g.bank_name,
        "groups": len(gsize), "independents": n_ind, "rings": n_ring,
        "ads_from_independents": sum(1 for t in truth if t["mode"] == "ind"),
        "ads_from_rings": sum(1 for t in truth if t["mode"] != "ind"),
        "group_size_ads": binned(list(gsize.values())),
        "ring_size_women": dict(sorted(Counter(len(women[x]) for x in ring_groups).items())),
        "ring_ads_by_mode": dict(Counter(t["mode"] for t in truth if t["mode"] != "ind")),
        "language_share": {k: round(v / len(truth), 4) for k, v in Counter(t["lang"] for t in truth).most_common()},
        "display_name": {
            "ads_with_profile": sum(1 for t in truth if t["profile"]),
            "ads_sharing_name_with_other_phone_same_site": name_clash_ads,
            "names_site_pairs_with_2plus_phones": len(clash_keys),
            "largest": f"{biggest[0][1]} on {biggest[0][0]}: {len(biggest[1])} phones" if biggest else None,
        },
        "third_party": {
            "numbers": len(g.tp), "numbers_printed": len(tp_ads), "ads": sum(tp_ads.values()),
            "ads_per_number_min_median_max": [tp_counts[0], tp_counts[len(tp_counts) // 2], tp_counts[-1]]
            if tp_counts else [],
            "women_per_number_min_median_max": [wp[0], wp[len(wp) // 2], wp[-1]] if wp else [],
            "kinds": dict(Counter(k for _, k, _ in g.tp)),
        },
        "flags": dict(flags.most_common()),
        "generator": dict(sorted(g.stats.items())),
    }


def check_banks() -> None:
    """The held-out bank shares no sentence with the tuning bank, and neither uses banned words."""
    common = sentences(BANKS["T"]) & sentences(BANKS["H"])
    if common:
        raise SystemExit(f"banks T and H share sentences: {sorted(common)[:5]}")
    for b in BANKS.values():
        for s in sentences(b):
            if "sexarbetare" in s.lower() or "prostituerad" in s.lower():
                raise SystemExit(f"banned word in {s!r}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bank", choices=["T", "H"], default="T", help="T tuning, H held out (never tune on it)")
    ap.add_argument("-o", "--out")
    ap.add_argument("--smoke", action="store_true", help="300 ads into a temporary directory (CI)")
    ap.add_argument("--span-days", type=int, default=180,
                    help="days the ads spread over; for a fixed density of ads (and of true links) per day "
                         "when N changes, scale it with N (180 per 100,000 ads)")
    a = ap.parse_args()
    if a.span_days < RING_DAYS[1] + 1:
        ap.error(f"--span-days must be more than {RING_DAYS[1]} (the longest ring campaign)")
    globals()["SPAN_DAYS"] = a.span_days  # one run, one span; the generator reads it where it places ads
    if a.smoke:
        import tempfile

        a.n = 300
        a.out = a.out or str(Path(tempfile.mkdtemp(prefix="bench-stock-")) / "smoke_300.jsonl")
    if not a.out:
        ap.error("-o/--out behövs / is required (without --smoke)")
    check_banks()
    t0 = time.perf_counter()
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    g = StockGen(a.seed, a.bank, a.n)
    n_ind = n_ring = ind_ads = 0
    # pick whichever side is below its share so far: the shares hold at any N
    while len(g.ads) < a.n:
        if ind_ads < IND_AD_SHARE * max(1, len(g.ads)):
            n_ind += 1
            ind_ads += g.independent(n_ind)
        else:
            n_ring += 1
            g.ring(n_ring)
    g.ads = g.ads[: a.n]
    g.truth = g.truth[: a.n]
    finish_truth(g)
    order = sorted(range(len(g.ads)), key=lambda i: g.ads[i][0])
    with open(out, "w", encoding="utf-8") as fh, open(str(out) + ".truth.jsonl", "w", encoding="utf-8") as th:
        for i in order:
            fh.write(g.ads[i][1] + "\n")
            t = g.truth[i]
            t["flags"] = sorted(t["flags"])
            th.write(json.dumps(t, ensure_ascii=False) + "\n")
    # groups and rings cut by the --n limit count only if they kept an ad
    n_ind = len({t["group"] for t in g.truth if t["mode"] == "ind"})
    n_ring = len({t["group"] for t in g.truth if t["mode"] != "ind"})
    st = corpus_stats(g, n_ind, n_ring, time.perf_counter() - t0)
    with open(str(out) + ".stats.json", "w", encoding="utf-8") as fh:
        json.dump(st, fh, ensure_ascii=False, indent=2)
    print(json.dumps(st, ensure_ascii=False, indent=1), file=sys.stderr)


if __name__ == "__main__":
    main()
