"""Text features of one ad: language, prices, stated age, template tokens and the
indicators that can be read from the ad alone (the corpus-level ones are in `engine`)."""

from __future__ import annotations

import re
import sys
import zlib
from collections.abc import Iterable, Iterator
from typing import Any

# --- language --------------------------------------------------------------------------------

# Languages seen in ads on Swedish sites (seed 000: Romania, Ukraine, Nigeria are common origins;
# Nigerian ads are written in English). Fewer languages make lingua faster and less confused on
# short texts.
LINGUA_LANGUAGES = (
    "SWEDISH", "ENGLISH", "ROMANIAN", "POLISH", "RUSSIAN", "SPANISH", "GERMAN", "THAI",
    "HUNGARIAN", "BULGARIAN", "UKRAINIAN", "PORTUGUESE", "ITALIAN", "FRENCH", "LITHUANIAN",
    "LATVIAN", "DANISH", "BOKMAL", "FINNISH",
)
# Function-word votes needed before we trust the fast path and skip lingua: three Swedish (or
# English) function words and none of the other language is unambiguous even in short ads.
FAST_LANG_MIN_VOTES = 3
# …and at least this many times more votes than the other language: Swedish ads quote English
# phrases ("new in town", "speaks English") and the reverse, a 4:1 majority is still clear.
FAST_LANG_MARGIN = 4
# lingua's cost grows with text length; the first few hundred characters decide the language.
LINGUA_MAX_CHARS = 400

_SV_WORDS = frozenset(
    "och jag är med för att inte mig du som på det till kan vill har min mitt mina din ditt "
    "dig hon henne hennes hos eller men ett en av om så vi ni här där bara också mycket "
    "trevlig träffa ring välkommen hej kom".split()
)
_EN_WORDS = frozenset(
    "and am with for the to not me you my is can will have your she her here there only "
    "also very nice meet call welcome hello hi come are of it".split()
)
# Romanian is the third language of ads on Swedish sites; its function words settle most of them
# without lingua (a fifth of the extraction time went to lingua on a corpus with 11 % Romanian).
_RO_WORDS = frozenset(
    "și sunt eu de la cu pentru mă te în să ești mine ani foarte sau dar un o pe care nu am".split()
)
# Function words that no other language of ads on these sites writes the same way.
_RO_ONLY_WORDS = frozenset("și sunt ești pentru să foarte mă în".split())
_EN_ONLY_WORDS = frozenset(
    "and the with you your she not can will have there only very meet call welcome hello are it".split()
)
_detector = None


def _get_detector():  # noqa: ANN202 — lingua type is optional at import time
    global _detector
    if _detector is None:
        from lingua import Language, LanguageDetectorBuilder

        langs = [getattr(Language, n) for n in LINGUA_LANGUAGES]
        # Low accuracy mode uses trigrams only: ~10x faster, and our decision between close
        # languages (sv/no/da) rarely matters for the indicators.
        # Models loaded at once (0.2 s, about 50 MB), not each on its first ad in that language:
        # lazily, a capture that met a new language paid half a second, and forked extraction
        # workers each loaded their own copies instead of sharing the parent's.
        _detector = (LanguageDetectorBuilder.from_languages(*langs).with_low_accuracy_mode()
                     .with_preloaded_language_models().build())
    return _detector


def warm_up() -> None:
    """Load the language models now (a web worker at start), so no request pays for it."""
    _get_detector()


def detect_language(text: str, tokens_lower: Iterable[str]) -> str:
    """ISO 639-1 code, or "" when the text is empty or undecidable."""
    if not text or not text.strip():
        return ""
    if not isinstance(tokens_lower, list):
        tokens_lower = list(tokens_lower)
    sv = sum(map(_SV_WORDS.__contains__, tokens_lower))
    en = sum(map(_EN_WORDS.__contains__, tokens_lower))
    if sv >= FAST_LANG_MIN_VOTES and sv >= FAST_LANG_MARGIN * en:
        return "sv"
    # (a Romanian ad that says "call me" has more Romanian words than English ones)
    ro = sum(map(_RO_WORDS.__contains__, tokens_lower))
    if en >= FAST_LANG_MIN_VOTES and en >= FAST_LANG_MARGIN * sv and en > ro:
        return "en"
    if ro >= FAST_LANG_MIN_VOTES and ro >= FAST_LANG_MARGIN * (sv + en):
        return "ro"
    # Romanian ads quote English and Swedish words ("am", "min", "hej"): four of its function
    # words, twice the others' and one that only Romanian has ("de", "la", "te" are Spanish and
    # Italian too) is still clear. Two words that only English has, and no other language's,
    # too ("me", "to", "for" are Spanish, Polish, Danish).
    if ro >= FAST_LANG_MIN_VOTES + 1 and ro >= 2 * (sv + en) and not _RO_ONLY_WORDS.isdisjoint(tokens_lower):
        return "ro"
    if sv == 0 and ro == 0 and sum(map(_EN_ONLY_WORDS.__contains__, tokens_lower)) >= 2:
        return "en"
    lang = _get_detector().detect_language_of(text[:LINGUA_MAX_CHARS])
    return lang.iso_code_639_1.name.lower() if lang is not None else ""


# --- tokens and templates --------------------------------------------------------------------

TOKEN_RE = re.compile(r"[^\W\d_]+|\d+")

SWEDISH_CITIES = frozenset(
    "stockholm göteborg gothenburg goteborg malmö malmo uppsala västerås vasteras örebro orebro "
    "linköping linkoping helsingborg jönköping jonkoping norrköping norrkoping lund umeå umea "
    "gävle gavle borås boras södertälje sodertalje eskilstuna halmstad växjö vaxjo karlstad "
    "sundsvall luleå lulea östersund ostersund kalmar falun skövde skovde trollhättan "
    "kristianstad visby solna sollentuna kiruna nyköping nykoping karlskrona varberg uddevalla "
    "motala landskrona arlanda kista täby taby nacka huddinge märsta marsta sigtuna".split()
)
# Words that start sentences; keeping them (instead of turning every capitalised word into a
# name placeholder) keeps unrelated texts apart.
_KEEP_CAPITALISED = _SV_WORDS | _EN_WORDS


def template_tokens(text: str, extra_names: Iterable[str] = ()) -> list[str]:
    """Tokens with names, cities and numbers replaced by placeholders so that a template keeps
    its shape when the ring changes the woman's name, age, city or price. å, ä, ö are kept."""
    names = {n.casefold() for n in extra_names if n}
    return [_template_token(tok, names) for tok in TOKEN_RE.findall(text)]


def _template_token(tok: str, names: set[str] | frozenset[str] = frozenset()) -> str:
    if tok[0].isdigit():
        return "#"
    low = tok.casefold()
    if low in SWEDISH_CITIES:
        return "<c>"
    if low in names or (tok[0].isupper() and low not in _KEEP_CAPITALISED and len(tok) > 1):
        return "<n>"
    return low


def token_hashes(tokens: list[str]) -> list[int]:
    # crc32 is stable across processes and runs (Python's hash() is salted per process), which
    # the worker pool and the persistent index both need.
    return [zlib.crc32(t.encode()) for t in tokens]


# Hash of each raw token's placeholder form, per process. Ads reuse a small vocabulary, so
# nearly every token is a dict hit (one C call per token instead of ~1 µs of Python).
_TOKEN_HASH_CACHE: dict[str, int] = {}
# Bounded so that hostile or very varied input cannot grow it without limit.
TOKEN_CACHE_MAX = 500_000


# Template tokens, plus the ends of sentences: a sentence is the unit that stock phrases and a
# ring's own phrasing are made of, so the text features see where one ends.
_TEMPLATE_RE = re.compile(r"[^\W\d_]+|\d+|[.!?…\n]+")
# Hash of a sentence end in the token stream (crc32 of a string no word can be).
SENTENCE_END_HASH = zlib.crc32(b"<.>")


def template_raw_tokens(text: str) -> list[str]:
    """The words, numbers and sentence ends of `text` as written (what `template_hashes` and
    `lower_tokens` are made from, so that an ad is tokenised once)."""
    return _TEMPLATE_RE.findall(text)


# "not computed yet", where None already means "lower case does not keep the positions"
UNSET: Any = object()


def lower_tokens(text: str, raw_tokens: list[str] | None = None, low: str | None = UNSET) -> list[str]:
    """`TOKEN_RE.findall(text.lower())`; from `template_raw_tokens(text)` when given, which is
    the same list whenever lower case keeps the text's length (one tokenisation instead of two).
    `low`: `lowered(text)` when the caller has it."""
    if low is UNSET:
        low = lowered(text) if raw_tokens is not None else None
    if raw_tokens is not None and low is not None:
        return [t.lower() for t in raw_tokens if t[0] not in _SENTENCE_END_CHARS]
    return TOKEN_RE.findall(text.lower())


_SENTENCE_END_CHARS = frozenset(".!?…\n")


def template_hashes(text: str, extra_names: Iterable[str] = (), raw_tokens: list[str] | None = None) -> list[int]:
    """`token_hashes(template_tokens(text, extra_names))` with SENTENCE_END_HASH at the end of
    each sentence, fast. `raw_tokens`: `template_raw_tokens(text)` when the caller has them."""
    toks = _TEMPLATE_RE.findall(text) if raw_tokens is None else raw_tokens
    cache = _TOKEN_HASH_CACHE
    out = list(map(cache.get, toks))
    if None in out:
        if len(cache) > TOKEN_CACHE_MAX:
            cache.clear()
        for k, h in enumerate(out):
            if h is None:
                t = toks[k]
                h = cache[t] = SENTENCE_END_HASH if t[0] in ".!?…\n" else zlib.crc32(_template_token(t).encode())
                out[k] = h
    # only a name that is one word can equal a token ("luna_20337" never does)
    names = {n.casefold() for n in extra_names if n and _ALPHA_RE.fullmatch(n)}
    if names:
        nh = _NAME_HASH
        for k, t in enumerate(toks):
            if t.casefold() in names:
                out[k] = nh
    return out


_NAME_HASH = zlib.crc32(b"<n>")
_ALPHA_RE = re.compile(r"[^\W\d_]+")

def lowered(text: str) -> str | None:
    """The text in lower case when that keeps every character's position (nearly always; not
    for the few characters whose lower case is two), else None."""
    low = text.lower()
    if len(low) != len(text):
        return None
    # letters that IGNORECASE folds to another letter but lower() does not ("ſ" is "s", "ı" is
    # "i"), and the capital sigma, whose lower case depends on the next letter
    if not text.isascii() and _FOLD_APART_RE.search(text):
        return None
    return low


# a character class scanned in C: a frozenset's isdisjoint makes a string of every character
_FOLD_APART_RE = re.compile("[ſıΣ\u212a\u212b]")


class CaseFreePattern:
    """A pattern of lower-case words matched regardless of case.

    Run on the lower-cased text (see `lowered`) it is case-sensitive, which is two to three
    times faster: Python's regex engine skips an alternative on its first letter only when it
    compares letters exactly. Where lower case would move positions, the case-insensitive form
    runs on the text itself. Match positions are the text's either way; matched strings are
    lower case on the fast path.
    """

    def __init__(self, exact: re.Pattern[str], fold: re.Pattern[str]) -> None:
        self.exact, self.fold = exact, fold  # for lower-cased text / with IGNORECASE for any text
        self.pattern = fold.pattern

    @classmethod
    def of(cls, pattern: str, first: str = "") -> CaseFreePattern:
        """Both forms of a pattern written in lower case; `first`: the characters a match can
        start with (a look-ahead on them skips the other positions without trying the pattern)."""
        look = (rf"(?=[{first.lower()}])", rf"(?=[{first}])") if first else ("", "")
        return cls(re.compile(look[0] + pattern), re.compile(look[1] + pattern, re.IGNORECASE))

    def search(self, text: str, low: str | None = None, pos: int = 0,
               endpos: int = sys.maxsize) -> re.Match[str] | None:
        if low is not None:
            return self.exact.search(low, pos, endpos)
        return self.fold.search(text, pos, endpos)

    def finditer(self, text: str, low: str | None = None, pos: int = 0,
                 endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        if low is not None:
            return self.exact.finditer(low, pos, endpos)
        return self.fold.finditer(text, pos, endpos)


# --- prices ----------------------------------------------------------------------------------

# Approximate exchange rate for prices given in euro; only used to compare prices, so a rough
# constant is enough and keeps the analysis reproducible (no network look-up).
EUR_TO_SEK = 11.5
# Amounts outside this range are not prices for a meeting (postcodes, years, phone fragments).
MIN_PRICE_SEK = 100
MAX_PRICE_SEK = 50_000

_AMOUNT = r"(\d{1,2}[ .]\d{3}|\d{2,5})"
_CUR = r"(kr\b|kronor|sek\b|:-|€|eur\b|euro)"
# The leading look-ahead lets the regex engine skip positions that cannot start a price (a
# digit or "€") without trying the alternation: same matches, several times faster.
_PRICE = CaseFreePattern.of(rf"(?=[\d€])(?:{_AMOUNT}\s*{_CUR}|(€)\s*{_AMOUNT})")
# Durations next to a price. Fractions come first so that "1/2 h" is half an hour, not "2 h".
_DUR = CaseFreePattern.of(
    r"(½\s*(?:h\b|tim|timme|timmen|hour)|1/2\s*(?:h\b|tim|timme|timmen|hour)|0[.,]5\s*(?:h\b|tim|timme|hour))"
    r"|(?<!\d/)(?<![\d.,])(\d+(?:[.,]5)?)\s*(h\b|tim\b|timme|timmar|timmen|hour|hours|hrs?\b)"
    r"|(?<!\d/)(?<!\d)(\d{2,3})[\s-]*min"
    r"|(halvtimme|halv\s+timme|half[\s-]+(?:an\s+)?hour|kvart\b|quarter\s+of\s+an\s+hour)"
    r"|(?:/|per |i |an |a )(h\b|tim\b|timme|timmen|hour)"
    r"|(?<![\wåäö])(timme|timmen|hour)(?![\wåäö])",
)
# How far (characters) from an amount we look for its duration ("1h 1500 kr", "1500 kr/h",
# "850 SEK for half an hour").
PRICE_DURATION_WINDOW = 20
# What may stand between an amount and its own duration after it: "/", "för", "per", "for",
# "à", "(", "=", "en", "a", "-", ":" or only a space ("850 kr 30 min").
_DURATION_JOIN_RE = re.compile(
    r"\s*(?:(?:/|för|per|for|à|\(|=|-|–|:)\s*)?(?:(?:en|an|a)\s+)?", re.IGNORECASE
)
# A duration followed by an amount introduces that amount ("1500 kr / 30 min 850 kr").
_LEADS_AMOUNT_RE = re.compile(r"\s*[:=\-–—]?\s*[\d€]")


def _duration_minutes(m: re.Match[str]) -> float | None:
    if m.group(1):
        return 30.0
    if m.group(2):
        return float(m.group(2).replace(",", ".")) * 60
    if m.group(4):
        return float(m.group(4))
    if m.group(5):
        return 15.0 if m.group(5).lower().startswith(("kvart", "quarter")) else 30.0
    if m.group(6) or m.group(7):
        return 60.0
    return None


def extract_prices(*texts: str | None) -> list[int]:
    """Amounts in SEK; converted to per hour where the ad states the duration."""
    out: list[int] = []
    for text in texts:
        if not text:
            continue
        low = lowered(text)  # once per text, for the fast form of the patterns (`CaseFreePattern`)
        for m in _PRICE.finditer(text, low):
            # "+500 kr", "extra 300 kr", "tillägg 200 kr" are add-ons, not the price of a meeting
            pre = text[max(0, m.start() - 9):m.start()].lower()
            if pre.rstrip().endswith("+") or "extra" in pre or "tillägg" in pre:
                continue
            raw = m.group(1) or m.group(4)
            # "…12🔥44 900 kr": a thousands group glued to something other than a space or the
            # start is the tail of a number written before it, not part of the price
            if m.group(1) and not raw.isdigit() and m.start() > 0 and not text[m.start() - 1].isspace():
                raw = raw[-3:]
            cur = (m.group(2) or m.group(3) or "").lower()
            try:
                amount = float(raw.replace(" ", "").replace(".", ""))
            except ValueError:
                continue
            if cur in ("€", "eur", "euro"):
                amount *= EUR_TO_SEK
            lo = max(0, m.start() - PRICE_DURATION_WINDOW)
            hi = min(len(text), m.end() + PRICE_DURATION_WINDOW)
            # A duration just before the amount ("1h 1500 kr") belongs to it; one after it only
            # in the "/h", "per timme" form, since "1500 kr, 30 min 800 kr" lists the next price.
            dm = None
            for d in _DUR.finditer(text, low, lo, m.start()):
                dm = d
            after = _DUR.search(text, low, m.end(), hi)
            # "500 kr för 30 min", "850 kr/30 min", "800 kr (30 min)", "850 kr 30 min": the
            # duration after the amount, joined to it, is the amount's own and wins over one
            # before it — unless it introduces the next amount ("1500 kr / 30 min 850 kr")
            if after is not None and (
                (after.group(6) and after.start() - m.end() <= 2)
                or text[m.end():after.start()] == "/"  # "700kr/30min": bound tight
                or (_DURATION_JOIN_RE.fullmatch(text, m.end(), after.start())
                    and not _LEADS_AMOUNT_RE.match(text, after.end()))
            ):
                dm = after
            minutes = _duration_minutes(dm) if dm else None
            if minutes and minutes > 0:
                amount = amount * 60.0 / minutes
            if MIN_PRICE_SEK <= amount <= MAX_PRICE_SEK:
                out.append(round(amount))
    return out


# --- age -------------------------------------------------------------------------------------

_AGE = CaseFreePattern.of(
    r"\b(\d{2})\s*(?:år\b|åring|yo\b|y/o|y\.o\.|years?\b|yrs\b|ani\b)|(?:ålder|age|ålder:)\s*:?\s*(\d{2})\b",
    r"\dåa",
)


def ages_in_text(text: str, low: str | None = None) -> list[tuple[int, int, int]]:
    """(age, start, end) of each age stated in the text; `low`: `lowered(text)` if known."""
    out = []
    if low is None:
        low = lowered(text)
    for m in _AGE.finditer(text, low):
        v = int(m.group(1) or m.group(2))
        out.append((v, m.start(), m.end()))
    return out


# --- indicators read from the ad alone --------------------------------------------------------

def _first_chars(alt: str) -> str:
    """Letters/digits an alternative can start with (alternatives here start with a literal or
    with a group of literal alternatives)."""
    if alt.startswith("(?:"):
        depth, parts, cur = 0, [], ""
        for ch in alt[3:]:
            if ch == "(":
                depth += 1
            elif ch == ")":
                if depth == 0:
                    break
                depth -= 1
            if ch == "|" and depth == 0:
                parts.append(cur)
                cur = ""
            else:
                cur += ch
        parts.append(cur)
        return "".join(_first_chars(x) for x in parts)
    if not alt or not (alt[0].isalnum() or alt[0] in "'"):
        raise ValueError(f"cannot take the first character of {alt!r}")
    return alt[0].lower() + alt[0].upper()


def _rx(*alts: str) -> CaseFreePattern:
    # The look-ahead on the possible first characters lets the regex engine skip most positions
    # without trying every alternative (several times faster, same matches).
    first = "".join(sorted(set("".join(_first_chars(a) for a in alts))))
    body = r"(?<![\wåäö])(?:" + "|".join(alts) + r")(?![\wåäö])"
    if re.search(r"(?<!\\)[A-ZÅÄÖ]", re.sub(r"\\[A-Za-z]", "", body)):
        raise ValueError("alternatives are written in lower case: they are matched on lower-cased text")
    return CaseFreePattern.of(body, first)


THIRD_PERSON_RE = _rx(
    r"hon", r"henne", r"hennes", r"she", r"she'?s", r"her", r"hers", r"tjejen är", r"flickan",
    r"the girl", r"this girl", r"denna tjej", r"den här tjejen",
)
FIRST_PERSON_RE = _rx(r"jag", r"mig", r"min", r"mitt", r"mina", r"i", r"i'?m", r"me", r"my")
# Ads in the first person mention "hon"/"she" now and then ("min väninna … hon"). We call an ad
# third-person when she-words are at least this share of all person pronouns.
THIRD_PERSON_MIN_SHARE = 0.5
THIRD_PERSON_MIN_COUNT = 2
# One she-word is enough when the ad has no first-person word at all ("Brand new Diana … she
# makes every date unique").
THIRD_PERSON_ALONE_COUNT = 1

OFFERS_EVERYTHING_RE = _rx(
    r"utan\s+kondom", r"utan\s+skydd", r"utan\s+gummi", r"oskyddat", r"oskyddad", r"bb(?:bj)?", r"bare\s?back",
    r"allt\s+ingår", r"allt\s+är\s+(?:tillåtet|möjligt|ok|okej)", r"allt\s+går", r"allt\s+du\s+(?:vill|önskar)",
    # "gör allt för att du ska trivas" is care, not an offer
    r"(?:gör|göra)\s+allt(?!\s+(?:för|i|med|som|på|jag\s+kan)\b)", r"inga\s+(?:gränser|tabun?|begränsningar)",
    r"inget\s+är\s+förbjudet", r"ja\s+till\s+allt", r"säger\s+aldrig\s+nej", r"öppen\s+för\s+allt",
    r"vad\s+du\s+än\s+(?:vill|önskar)",
    r"no\s+limits?", r"no\s+taboos?", r"no\s+restrictions", r"nothing\s+is\s+off[\s-]+limits",
    r"everything\s+(?:is\s+)?(?:included|possible|allowed|goes)", r"everything\s+you\s+(?:want|desire|wish)",
    r"(?:do|does|will\s+do)\s+(?:everything|anything)", r"anything\s+(?:goes|you\s+(?:want|desire|wish))",
    r"whatever\s+you\s+(?:want|desire|wish)", r"never\s+says?\s+no",
    r"without\s+(?:a\s+)?(?:condom|rubber|protection)", r"no\s+condom", r"unprotected", r"natural\s+sex",
    r"owo", r"cim", r"all\s+inclusive", r"alla\s+tjänster", r"all\s+services",
)
# "BB" must be upper case: lower-case "bb" is common chat shorthand; "BBW" is excluded by the
# trailing word boundary.
_BB_LOWER_RE = re.compile(r"(?<![\w])bb(?:bj)?(?![\w])")

DO_NOT_TALK_RE = _rx(
    r"prata\s+inte(?:\s+med\s+(?:henne|mig|tjejen))?", r"inget\s+prat", r"inga\s+frågor",
    r"ställ\s+inga\s+frågor", r"tala\s+inte", r"säg\s+ingenting", r"inte\s+prata",
    r"don'?t\s+talk", r"do\s+not\s+talk", r"no\s+talking", r"no\s+talk", r"no\s+questions",
    r"don'?t\s+ask", r"do\s+not\s+ask", r"not\s+talk\s+to\s+her", r"no\s+chatting",
)
SPEAKS_ENGLISH_RE = _rx(
    # she speaks or understands English (alone or with another language that is not Swedish)
    r"(?:kan\s+(?:prata|tala|kommunicera\s+på)|pratar|talar|snackar|förstår|kan)\s+"
    r"(?:(?!svenska)[a-zåäö]+(?:\s+och\s+|\s*,\s*))?(?:bara\s+|endast\s+|lite\s+|bra\s+|god\s+|flytande\s+)?engelska",
    r"(?:bara|endast|helst)\s+(?:på\s+)?engelska", r"engelsktalande",
    r"på\s+engelska",  # "skriv/sms:a/hör av dig på engelska": she reads English, not Swedish
    r"engelska\s+(?:går\s+bra|föredras|helst|endast|only|please|tack)",
    r"(?:språk|language|languages)\s*:\s*(?:(?!svenska|swedish)[a-zåäö]+\s*(?:,|och|and|&)\s*)*(?:engelska|english)"
    r"(?![\s,]*(?:och|and|&)?\s*(?:svenska|swedish))",
    # her Swedish is poor
    r"(?:min|hennes)\s+svenska\s+är\s+(?:inte\s+(?:så\s+)?(?:bra|god)|dålig|begränsad)",
    r"(?:pratar|talar|kan|förstår|snackar)\s+(?:inte|ingen|ej|dålig|knappt|bara\s+lite|lite|väldigt\s+lite)\s+"
    r"(?:så\s+|så\s+bra\s+|bra\s+)?svenska",
    r"ingen\s+svenska", r"svenska\s*:\s*nej",
    # written in English inside a Swedish ad
    r"(?:i\s+)?(?:only\s+)?speaks?\s+(?:only\s+|little\s+|good\s+)?english",
    r"english\s+(?:only|speaker|speaking|please)", r"only\s+english",
    r"(?:no|not\s+much|little)\s+swedish", r"(?:don'?t|do\s+not|doesn'?t|can'?t|cannot)\s+speak\s+swedish",
)
BDSM_RE = _rx(
    r"bdsm", r"bunden", r"fastbunden", r"binds?\s+fast", r"tied\s+up", r"bondage", r"slav(?:inna)?",
    r"slave", r"underkastelse", r"submissive", r"dominan(?:t|s)", r"rep\b", r"handbojor", r"handcuffs",
)
THIRD_PARTY_RE = _rx(
    r"tredje\s+person", r"tredje\s+part", r"third\s+(?:person|party)", r"(?:min|hennes|sin)\s+herre",
    r"(?:her|my)\s+master", r"(?:min|hennes|sin)\s+ägare", r"(?:her|my)\s+owner",
    r"alltid\s+(?:med|närvarande)", r"always\s+present", r"(?:is|will\s+be)\s+present",
    r"(?:är|finns)\s+med\s+(?:under|vid|på)", r"övervakar", r"watches", r"supervis\w*",
    r"(?:med|with)\s+(?:hennes|her|min|my)\s+(?:partner|vän|friend|man|husband)",
)

COUNTRY_RE = _rx(
    r"rumänien", r"rumänsk\w*", r"romania", r"romanian", r"ukraina", r"ukraine", r"ukrainsk\w*",
    r"ukrainian", r"nigeria", r"nigerian\w*", r"polen", r"poland", r"polsk\w*", r"polish",
    r"bulgarien", r"bulgaria\w*", r"bulgarisk\w*", r"ungern", r"hungary", r"hungarian", r"ungersk\w*",
    r"thailand", r"thai", r"thailändsk\w*", r"ryssland", r"russia\w*", r"rysk\w*", r"litauen",
    r"lithuania\w*", r"lettland", r"latvia\w*", r"moldavien", r"moldova\w*", r"brasilien", r"brazil\w*",
    r"brasiliansk\w*", r"colombia\w*", r"venezuela\w*", r"latina", r"latinamerika\w*",
    r"dominican\w*", r"kina", r"china", r"chinese", r"kinesisk\w*", r"vietnam\w*", r"filippin\w*",
    r"philippin\w*", r"asiatisk\w*", r"asian", r"spansk\w*", r"spain", r"spanish", r"cuban\w*",
    r"afrika\w*", r"africa\w*", r"ghana\w*", r"kenya\w*", r"albani\w*", r"serbi\w*", r"czech",
    r"tjeckisk\w*", r"slovak\w*", r"estni\w*", r"eston\w*", r"ny\s+i\s+sverige", r"new\s+in\s+sweden",
    r"just\s+arrived\s+in\s+sweden", r"nyanländ", r"utländsk", r"foreign\s+girl", r"exotic", r"exotisk",
)
_SWEDISH_NATIONALITY = frozenset({"svensk", "svenska", "sverige", "sweden", "swedish", "se", "swe"})

MINOR_AGE = 18
MINOR_WORDS_RE = _rx(
    r"tonåring\w*", r"tonårs\w*", r"teen\w*", r"barely\s+legal", r"nyss\s+fyllt\s+18",
    r"just\s+turned\s+18", r"nyligen\s+18", r"precis\s+fyllt\s+18", r"skolflicka", r"schoolgirl",
    r"skoltjej", r"gymnasie\w*", r"high\s*school", r"lolita", r"oskuld", r"virgin", r"ung\s+och\s+oerfaren",
    r"young\s+and\s+inexperienced", r"minderårig", r"underage", r"liten\s+flicka",
    r"little\s+girl", r"väldigt\s+ung", r"very\s+young", r"mycket\s+ung",
    r"18\s*år\s+nyss", r"17", r"16", r"15", r"petite\s+young",
    # youth implied rather than stated: about to turn 18, still at school
    r"fyller\s+(?:snart\s+)?18", r"18\s+(?:nästa|om\s+en|i\s+höst|i\s+vår|snart)", r"turning\s+18",
    r"(?:will\s+be|be)\s+18\s+(?:soon|next)", r"18\s+soon",
    r"går\s+(?:på|i)\s+(?:gymnasiet|högstadiet|skolan|nian|trean|tvåan|ettan)",
    r"(?:still\s+)?(?:in|at)\s+high\s*school", r"(?:still\s+)?in\s+school", r"studerar\s+på\s+gymnasiet",
    r"blir\s+(?:18|arton|myndig)", r"fyller\s+(?:snart\s+)?arton", r"(?:snart|nästan)\s+(?:18|arton|myndig)",
    r"inte\s+(?:riktigt\s+|ens\s+)?(?:18|arton|myndig)", r"18\s+år\s+om", r"tar\s+studenten",
    r"(?:almost|nearly|soon|not\s+quite|not\s+yet)\s+(?:18|eighteen|legal)", r"(?:'ll|will)\s+be\s+(?:18|eighteen)",
    r"18th\s+birthday", r"turning\s+eighteen", r"sweet\s+sixteen", r"sjutton", r"sexton", r"femton",
    r"seventeen", r"sixteen", r"fifteen", r"gymnasieelev", r"high\s*school\s+student",
    r"aproape\s+18", r"(?:fac|împlinesc|implinesc)\s+18", r"elev[ăa]", r"liceu\w*",
)
# School words describe an adult when she works there ("lärare på gymnasiet", "I work at a school").
_SCHOOL_WORK_RE = re.compile(r"lärare|jobbar|arbetar|teacher|work|profesoar|lucrez|personal|rektor|anställd",
                             re.IGNORECASE)
_SCHOOL_WORD_RE = re.compile(r"gymnasi|högstadi|skol|school|liceu|elev|nian|trean|tvåan|ettan", re.IGNORECASE)


_SPACE_RUN_RE = re.compile(r"\s+")
Spans = tuple[tuple[int, int], ...]


def quote(text: str, *spans: tuple[int, int], ctx: int = 20) -> tuple[str, Spans]:
    """A short quotation of the ad around the matched `spans` (start, end), whitespace collapsed and
    "…" where cut, and where each match lies in it: the worker sees the words in context, and the
    interface can mark exactly the words that matched."""
    trimmed = []
    for s, e in sorted(spans):
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s == e:
            continue
        if trimmed and s <= trimmed[-1][1]:
            trimmed[-1] = (trimmed[-1][0], max(e, trimmed[-1][1]))
        else:
            trimmed.append((s, e))
    windows: list[tuple[int, int, list[tuple[int, int]]]] = []
    for s, e in trimmed:
        lo, hi = max(0, s - ctx), min(len(text), e + ctx)
        # Do not cut words in half.
        while lo > 0 and not text[lo - 1].isspace() and s - lo < ctx + 12:
            lo -= 1
        while hi < len(text) and not text[hi].isspace() and hi - e < ctx + 12:
            hi += 1
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(hi, windows[-1][1]), [*windows[-1][2], (s, e)])
        else:
            windows.append((lo, hi, [(s, e)]))
    parts: list[str] = []
    marks: list[tuple[int, int]] = []
    n = 0
    for k, (lo, hi, inside) in enumerate(windows):
        lead = ("…" if lo > 0 else "") if k == 0 else " … "
        parts.append(lead)
        n += len(lead)
        pos = lo
        for j, (s, e) in enumerate(inside):
            before = _SPACE_RUN_RE.sub(" ", text[pos:s])
            words = _SPACE_RUN_RE.sub(" ", text[s:e])
            if j == 0:
                before = before.lstrip()
            parts += (before, words)
            marks.append((n + len(before), n + len(before) + len(words)))
            n += len(before) + len(words)
            pos = e
        tail = _SPACE_RUN_RE.sub(" ", text[pos:hi]).rstrip()
        parts.append(tail)
        n += len(tail)
    if windows and windows[-1][1] < len(text):
        parts.append("…")
    return "".join(parts), tuple(marks)


def _quoted(text: str, *spans: tuple[int, int]) -> tuple[str, Spans, Spans]:
    """(quotation, matched spans in it, matched spans in `text`) of an indicator."""
    return (*quote(text, *spans), spans)


def snippet(text: str, start: int, end: int, ctx: int = 20) -> str:
    """A short quotation around a match, so the worker sees the words in context."""
    return quote(text, (start, end), ctx=ctx)[0]


_THIRD_WORDS = frozenset({"hon", "henne", "hennes", "she", "she's", "her", "hers"})
# Romanian first-person words count too: a Romanian ad with one English sentence about "she"
# is still written by the woman herself.
_FIRST_WORDS = frozenset({"jag", "mig", "min", "mitt", "mina", "i", "i'm", "me", "my", "im",
                          "eu", "sunt", "mă", "meu", "mea", "mele", "mine", "numesc"})
# Cheap pre-checks: a pattern is only run when one of its anchor words occurs in the ad. Most
# ads contain none, and one set intersection is ~100x cheaper than a regex scan.
# (the rare word of each phrase, not "gör" or "ja": an anchor found in most ads saves nothing)
_OFFERS_ANCHORS = frozenset(
    "kondom skydd gummi oskyddat oskyddad bb bbbj bare bareback allt gränser tabu tabun begränsningar "
    "förbjudet nej än limits limit taboo taboos restrictions everything anything whatever never condom "
    "rubber protection unprotected natural owo cim inclusive tjänster services".split())
_TALK_ANCHORS = frozenset("prata inget inga ställ tala säg inte don dont do no not".split())  # "don't" tokenises as "don", "t"
_EN_ANCHORS = frozenset("engelska english engelsktalande svenska swedish".split())
_BDSM_ANCHORS = frozenset(
    "bdsm bunden fastbunden binds bind tied bondage slav slavinna slave underkastelse submissive "
    "dominant dominans rep handbojor handcuffs".split())
_COUNTRY_STEMS = (
    "rumän", "romania", "ukrain", "nigeria", "polen", "poland", "polsk", "polish", "bulgari", "ungern",
    "hungar", "ungersk", "thai", "ryssland", "russia", "rysk", "litau", "lithuan", "lettland", "latvia",
    "moldav", "moldov", "brasil", "brazil", "colombia", "venezuela", "latin", "dominican", "kina",
    "china", "chinese", "kinesisk", "vietnam", "filippin", "philippin", "asiat", "asian", "spansk",
    "spain", "spanish", "cuban", "afrika", "africa", "ghana", "kenya", "albani", "serbi", "czech",
    "tjeck", "slovak", "estni", "eston", "sverige", "sweden", "nyanländ", "utländsk", "foreign", "exoti",
)
_MINOR_STEMS = (
    "tonår", "teen", "barely", "turned", "fyllt", "nyligen", "skol", "school", "gymnasie", "highschool",
    "lolita", "oskuld", "virgin", "ung", "young", "minderårig", "underage", "liten",
    "little", "15", "16", "17", "oerfaren", "fyller", "turning", "soon", "högstadie", "nian",
    "arton", "eighteen", "myndig", "legal", "studenten", "sjutton", "sexton", "femton", "seventeen",
    "sixteen", "fifteen", "elev", "liceu", "aproape", "împlinesc", "implinesc",
)
# Whole words that open the minor patterns too ("blir 18", "fac 18 ani"): as stems they would
# match every price from 1 800 kr.
_MINOR_EXACT = frozenset({"18"})
_AGE_ANCHORS = frozenset("år åring yo years year yrs ålder age y ani".split())

class _StemVocab:
    """Which words start with one of `stems`, remembered per process: set operations in C
    instead of a Python `startswith` loop over every word of every ad."""

    def __init__(self, stems: tuple[str, ...]) -> None:
        self.stems = stems
        self.seen: set[str] = set()
        self.hits: set[str] = set()

    def any_in(self, words: set[str]) -> bool:
        new = words - self.seen
        if new:
            if len(self.seen) > TOKEN_CACHE_MAX:
                self.seen.clear()
                self.hits.clear()
            self.seen |= new
            stems = self.stems
            self.hits.update(w for w in new if w.startswith(stems))
        return not self.hits.isdisjoint(words)


_COUNTRY_VOCAB = _StemVocab(_COUNTRY_STEMS)
_MINOR_VOCAB = _StemVocab(_MINOR_STEMS)
# Words that negate a following trigger ("aldrig utan kondom" = never without a condom).
def _first_person_count(low_tokens: list[str], language: str) -> int:
    """First-person words, without the Swedish preposition "i" ("Ny i Malmö") and without "min"
    after a number ("30 min"), which are not the advertiser speaking of herself."""
    n = 0
    prev = ""
    for tok in low_tokens:
        if tok in _FIRST_WORDS and not (
            (tok == "i" and language != "en") or (tok == "min" and prev.isdigit())
        ):
            n += 1
        prev = tok
    return n


_NEGATIONS = ("aldrig", "inte", "ej", "never", "not", "no ", "inget", "ingen")
# How many characters before a trigger we look for a negation.
NEGATION_WINDOW = 12


_SENTENCE_END_RE = re.compile(r"[.!?\n]")


def _negated(text: str, start: int) -> bool:
    pre = text[max(0, start - NEGATION_WINDOW):start].lower()
    # a negation in the sentence before ("Inget jag inte gör. Gör allt du vill") does not count
    pre = _SENTENCE_END_RE.split(pre)[-1]
    return any(n in pre for n in _NEGATIONS)


def text_indicators(
    text: str, language: str, nationality: str | None, age: int | None,
    low_tokens: list[str] | None = None, *, detail: bool = False, low: str | None = UNSET,
) -> list[tuple[Any, ...]]:
    """Indicators readable from the ad's own words and fields: (code, evidence). With `detail`,
    (code, evidence, extra…): when the evidence quotes the ad, the matched spans within it and within
    `text` (see `quote`), else a dict of the facts it states (``{"nationality": …}``, ``{"age": …}``)."""
    out: list[tuple[Any, ...]] = []
    if low_tokens is None:
        low_tokens = TOKEN_RE.findall(text.lower())
    words = set(low_tokens)
    if low is UNSET:
        low = lowered(text)
    if text:
        n3 = sum(map(_THIRD_WORDS.__contains__, low_tokens))
        if n3 >= THIRD_PERSON_ALONE_COUNT:
            n1 = _first_person_count(low_tokens, language)
            if (n3 >= THIRD_PERSON_MIN_COUNT or n1 == 0) and n3 / (n3 + n1) >= THIRD_PERSON_MIN_SHARE:
                m = THIRD_PERSON_RE.search(text, low)
                if m:
                    out.append(("third_person", *_quoted(text, m.span())))
        if words & _OFFERS_ANCHORS:
            for m in OFFERS_EVERYTHING_RE.finditer(text, low):
                word = text[m.start():m.end()]  # as written: the case of "BB" matters
                if word.lower().startswith("bb") and _BB_LOWER_RE.fullmatch(word):
                    continue
                if _negated(text, m.start()):
                    continue
                out.append(("offers_everything", *_quoted(text, m.span())))
                break
        if words & _TALK_ANCHORS:
            m = DO_NOT_TALK_RE.search(text, low)
            if m:
                out.append(("do_not_talk", *_quoted(text, m.span())))
        if language == "sv" and words & _EN_ANCHORS:
            m = SPEAKS_ENGLISH_RE.search(text, low)
            if m:
                out.append(("swedish_ad_speaks_english", *_quoted(text, m.span())))
        if words & _BDSM_ANCHORS:
            mb = BDSM_RE.search(text, low)
            if mb:
                mt = THIRD_PARTY_RE.search(text, low)
                if mt:
                    out.append(("bdsm_third_party", *_quoted(text, mb.span(), mt.span())))
    # not_from_sweden
    nat = (nationality or "").strip()
    if nat and nat.casefold() not in _SWEDISH_NATIONALITY:
        out.append(("not_from_sweden", f"nationalitet / nationality: {nat}", {"nationality": nat}))
    elif text and _COUNTRY_VOCAB.any_in(words):
        m = COUNTRY_RE.search(text, low)
        if m:
            out.append(("not_from_sweden", *_quoted(text, m.span())))
    # possible_minor: high recall on purpose, a false alarm costs a look, a miss costs a child.
    minor_ev: tuple[Any, ...] | None = None
    if age is not None and age < MINOR_AGE:
        minor_ev = (f"uppgiven ålder / stated age: {age}", {"age": age})
    elif text:
        for v, s, e in (ages_in_text(text, low) if words & _AGE_ANCHORS else ()):
            if v < MINOR_AGE:
                minor_ev = _quoted(text, (s, e))
                break
        if minor_ev is None and (not words.isdisjoint(_MINOR_EXACT) or _MINOR_VOCAB.any_in(words)):
            for m in MINOR_WORDS_RE.finditer(text, low):
                w = m.group(0)
                if w.isdigit():
                    # a bare 15/16/17 counts only when it reads as an age ("17 år" handled above,
                    # here "tjej 17", "17!") — not inside prices or times
                    nxt = text[m.end():m.end() + 4]
                    prv = text[max(0, m.start() - 6):m.start()].lower()
                    if any(c.isdigit() for c in nxt[:2]) or ":" in nxt[:1] or "kr" in nxt.lower() or "min" in nxt.lower():
                        continue
                    if not any(x in prv for x in ("tjej", "girl", "är", "am", "age", "only", "bara", "just")):
                        continue
                if _SCHOOL_WORD_RE.search(w):
                    sentence = _SENTENCE_END_RE.split(text[max(0, m.start() - 60):m.start()])[-1]
                    if _SCHOOL_WORK_RE.search(sentence):
                        continue
                minor_ev = _quoted(text, m.span())
                break
    if minor_ev:
        out.append(("possible_minor", *minor_ev))
    return out if detail else [t[:2] for t in out]
