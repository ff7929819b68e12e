"""Phone number extraction and normalisation (E.164) for ads.

Ads hide their numbers from scrapers and moderation: spaces, dashes, dots, slashes, brackets,
digits spaced out, look-alike letters (O for 0, l/I for 1) and digits written as words in
Swedish or English. We find candidate runs with one compiled regex (C speed), then turn each run
into digits and let `phonenumbers` decide whether it is a real number.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import phonenumbers

from .text import CaseFreePattern, lowered

# Region used for numbers written without a country code: the ads are Swedish.
DEFAULT_REGION = "SE"

# Shortest/longest digit count we try to validate. Swedish numbers are 7–10 national digits
# (08-123 45 up to 07x-xxx xx xx); with +46/0046 and foreign numbers E.164 allows up to 15.
MIN_PHONE_DIGITS = 7
MAX_PHONE_DIGITS = 15

# Ads sometimes cut numbers with up to a few separator characters ("070 - 123 45 67").
# More than this and two unrelated numbers (prices, ages) would be glued together.
# A dot followed by a space ends a sentence ("Ring 08-421 74 03. 1 tim"), so it is no separator
# inside a number; a comma is ("noll sju tre, åtta åtta tre, …").
_SEP = r"(?:[ \t\-/()\[\]_*,:]|\.(?!\s)){0,3}"

_NUMBER_WORDS: dict[str, str] = {
    # Swedish
    "noll": "0", "nolla": "0", "ett": "1", "en": "1", "etta": "1", "två": "2", "tvåa": "2",
    "tre": "3", "trea": "3", "fyra": "4", "fyra:": "4", "fem": "5", "femma": "5", "sex": "6",
    "sexa": "6", "sju": "7", "sjua": "7", "åtta": "8", "åtta:": "8", "nio": "9", "nia": "9",
    # English
    "zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
    "six": "6", "seven": "7", "eight": "8", "nine": "9",
}
_WORD_ALT = "|".join(sorted((w for w in _NUMBER_WORDS if not w.endswith(":")), key=len, reverse=True))
# A "unit" is a group of digits (look-alike letters allowed only next to a real digit, so plain
# words such as "lol" never count) or one spelled-out digit.
_DIGITISH = r"(?:[0-9][0-9OoIl|]*|[OoIl|]+[0-9][0-9OoIl|]*)"
_UNIT = rf"(?:{_DIGITISH}|(?<![A-Za-zÅÄÖåäöéü]){{w}}(?![A-Za-zÅÄÖåäöéü]))".replace("{w}", f"(?:{_WORD_ALT})")
# A run is several units ("070 123 45 67", "noll sju noll …") or one long digit group; a lone
# "en" or "25" never starts the slow path.
# After the first unit, a group of look-alike letters only ("O7O-OOO 12 34") continues a number.
_UNIT_CONT = rf"(?:{_UNIT}|(?<![A-Za-zÅÄÖåäö])[OoIl|]{{2,}}(?![A-Za-zÅÄÖåäö]))"
_RUN_BODY = rf"(?:\+{_SEP})?(?:{_UNIT}(?:{_SEP}{_UNIT_CONT})+|[0-9OoIl|]{{7,}})"
# A run can only start at a digit, look-alike, "+" or the first letter of a number word that
# does not follow a letter; checking that first (one cheap look-ahead) skips the costly
# alternation at most positions of ordinary prose (~40 % faster, same matches).
_WORD_FIRST = "".join(sorted({w[0] for w in _NUMBER_WORDS} | {w[0].upper() for w in _NUMBER_WORDS}))
_RUN_RE = re.compile(rf"(?=[0-9OoIl|+]|(?<![A-Za-zÅÄÖåäöéü])[{_WORD_FIRST}]){_RUN_BODY}", re.IGNORECASE)
# The same pattern for lower-cased text, case-sensitive: several times faster, since the regex
# engine skips an alternative on its first letter only when it compares letters exactly. Under
# IGNORECASE the look-alike class [OoIl|] also took "i" and "L"; in lower case that is [oil|].
_RUN = CaseFreePattern(re.compile(
    rf"(?=[0-9oil|+]|(?<![a-zåäöéü])[{''.join(sorted({w[0] for w in _NUMBER_WORDS}))}])"
    + _RUN_BODY.replace("OoIl|", "oil|").replace("A-Za-zÅÄÖåäöéü", "a-zåäöéü").replace("A-Za-zÅÄÖåäö", "a-zåäö")
), _RUN_RE)
_TOKEN_RE = re.compile(rf"\+|{_DIGITISH}|[A-Za-zÅÄÖåäö|]+", re.IGNORECASE)
_LOOKALIKE = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"})
_HAS_DIGIT_RE = re.compile(r"\d")
_ALL_LOOKALIKE_RE = re.compile(r"[OoIl|]{2,}")
_WORD_RE = re.compile(rf"(?<![A-Za-zÅÄÖåäö])(?:{_WORD_ALT})(?![A-Za-zÅÄÖåäö])", re.IGNORECASE)
# At least this many spelled-out digits in a run before we believe it is a number written in
# words; "en", "ett", "sex" are ordinary words and must not turn prose into digits.
MIN_SPELLED_DIGITS = 3


def _token_digits(tok: str) -> str | None:
    if tok == "+":
        return "+"
    low = tok.lower()
    if low in _NUMBER_WORDS:
        return _NUMBER_WORDS[low]
    if _HAS_DIGIT_RE.search(tok) or _ALL_LOOKALIKE_RE.fullmatch(tok):
        return tok.translate(_LOOKALIKE)
    return None


# Swedish mobile numbers (07[02369] + 7 digits) are most numbers in the ads; matching their
# shape directly skips phonenumbers' general parser (~35 µs). tests/analysis checks that this
# agrees with phonenumbers for every such number.
_SE_MOBILE_RE = re.compile(r"(?:\+46|0046|46|0)(7[02369]\d{7})")


@lru_cache(maxsize=200_000)
def normalise_digits(digits: str) -> str | None:
    """Return the E.164 form of a digit string (may start with '+'), or None if not valid.

    Accepts +CC…, 00CC…, 46… (Swedish country code without plus) and national 0… numbers.
    A bare digit string without a leading 0, + or 46 is not a phone number (it is a price,
    a postcode or an age).
    """
    m = _SE_MOBILE_RE.fullmatch(digits)
    if m:
        return "+46" + m.group(1)
    if digits.startswith("+46") and digits[3:4] == "0":
        digits = "+46" + digits[4:]  # "+46 (0)70…": the trunk 0 written after the country code
        m = _SE_MOBILE_RE.fullmatch(digits)
        if m:
            return "+46" + m.group(1)
    if digits.startswith("+"):
        cand = digits
    elif digits.startswith("00"):
        cand = "+" + digits[2:]
    elif digits.startswith("0"):
        cand = digits
    elif digits.startswith("46") and 10 <= len(digits) <= 12:
        cand = "+" + digits
    else:
        return None
    n_digits = len(cand) - (1 if cand.startswith("+") else 0)
    if not MIN_PHONE_DIGITS <= n_digits <= MAX_PHONE_DIGITS + 1:
        return None
    try:
        num = phonenumbers.parse(cand, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(num):
        return None
    return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)


def _run_to_numbers(run: str) -> list[str]:
    toks = [d for d in (_token_digits(t) for t in _TOKEN_RE.findall(run)) if d is not None]
    if not toks:
        return []
    joined = "".join(toks)
    n = len(joined.replace("+", ""))
    if n < MIN_PHONE_DIGITS:
        return []
    # Whole run first: the common case of one number.
    e164 = normalise_digits(joined)
    if e164:
        return [e164]
    # Otherwise the run may hold a stray word digit at an edge ("sex 070…") or several numbers
    # ("070-1234567 / 073-7654321"): try every contiguous token window, longest first, greedily.
    found: list[str] = []
    i = 0
    L = len(toks)
    while i < L:
        hit = None
        for j in range(L, i, -1):
            cand = "".join(toks[i:j])
            if len(cand.replace("+", "")) < MIN_PHONE_DIGITS:
                break
            e = normalise_digits(cand)
            if e:
                hit = (e, j)
                break
        if hit:
            found.append(hit[0])
            i = hit[1]
        else:
            i += 1
    return found


# Fast path for the common case (digits and separators only). The leading look-ahead lets the
# regex engine skip positions that cannot start a number without trying the optional "+" and
# "(" first (same matches, a third faster).
_FAST_RE = re.compile(r"(?=[\d+(])\+?\(?\d(?:[\d \t\-/()\[\]_*,:]|\.(?!\s))*\d")
# Everything but digits and "+": what is left of a fast-path run is the number itself.
_NOT_DIGIT_RE = re.compile(r"[^\d+]+")
# Look-alike letters glued to digits ("O7O", "l23") send a text to the slow path.
# So does a group of look-alikes standing alone next to a digit group ("0722 OOO 222").
_LOOKALIKE_RE = re.compile(
    r"(?=[0-9OoIl|])(?:[0-9][OoIl|]|[OoIl|][0-9]"
    r"|[0-9][ \t\-./()\[\]_*,:]{1,3}[OoIl|]{2,}(?![A-Za-zÅÄÖåäö])"
    r"|(?<![A-Za-zÅÄÖåäö])[OoIl|]{2,}[ \t\-./()\[\]_*,:]{1,3}[0-9])"
)
_WORDS_RE = re.compile(r"[^\W\d_]+")
_NUMBER_WORD_SET = frozenset(_NUMBER_WORDS)


def _needs_slow_path(text: str, words: list[str] | None = None) -> bool:
    """True when the text may hold a number written with look-alike letters or in words.
    `words`: the text's lower-case word tokens when the caller has them already."""
    if _LOOKALIKE_RE.search(text):
        return True
    if words is None:
        words = _WORDS_RE.findall(text.lower())
    # one C-level pass: how many tokens are number words ("en", "sex" included, so prose
    # with two of them stays on the fast path)
    return sum(map(_NUMBER_WORD_SET.__contains__, words)) >= MIN_SPELLED_DIGITS


def _fast_numbers(text: str, out: set[str]) -> None:
    for m in _FAST_RE.finditer(text):
        run = m.group(0)
        if len(run) < MIN_PHONE_DIGITS:
            continue
        # the whole run as one number is the common case: strip separators and validate
        # (the same digits `_run_to_numbers` would join first)
        e164 = normalise_digits(_NOT_DIGIT_RE.sub("", run))
        if e164:
            out.add(e164)
        else:
            out.update(_run_to_numbers(run))


def _slow_numbers(text: str, out: set[str]) -> None:
    for m in _RUN.finditer(text, lowered(text)):  # positions are the text's either way
        start, end = m.span()
        if end - start < MIN_PHONE_DIGITS:
            continue  # most runs are a lone "en", "sex" or "25": too short to be a number
        run = text[start:end]  # as written: look-alikes are read by their case
        # Cheap pre-check: enough digit characters or spelled digits to be a number at all.
        nd = sum(map(str.isdigit, run))
        if nd < MIN_PHONE_DIGITS:
            words = len(_WORD_RE.findall(run))
            if words < MIN_SPELLED_DIGITS or nd + words < MIN_PHONE_DIGITS:
                # look-alike letters: "O7O l23 45 67" has few real digits
                if nd + sum(map(_LOOKALIKE_CHARS.__contains__, run)) < MIN_PHONE_DIGITS:
                    continue
        out.update(_run_to_numbers(run))


_LOOKALIKE_CHARS = frozenset("OoIl|")


# Characters put between digits to get past search and moderation, read as a space: emoji and
# pictographs, bullets, arrows and shapes, invisible format characters (zero-width, direction
# marks, variation selectors, the keycap mark) and the many Unicode spaces.
_EVASION_RE = re.compile(
    "[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2190-\u21FF\u25A0-\u25FF\u2022\u00B7\u2219\u22C5"
    "\u00AD\u200B-\u200F\u2028-\u202F\u2060-\u206F\uFEFF\uFE00-\uFE0F\u20E3"
    "\u00A0\u2000-\u200A\u205F\u3000]"
)
# Digits from other blocks (full-width, mathematical bold) that NFKC turns into 0–9.
_WIDE_DIGIT_RE = re.compile("[\uFF10-\uFF19\U0001D7CE-\U0001D7FF]")


def unhide_digits(text: str) -> str:
    """The text with evasive separators as spaces and look-alike digit blocks as 0–9, one
    character for one (positions stay valid for evidence)."""
    if text.isascii():
        return text
    text = _EVASION_RE.sub(" ", text)
    if _WIDE_DIGIT_RE.search(text):
        text = _WIDE_DIGIT_RE.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)
    return text


def extract_phones(*texts: str | None, words: list[str] | None = None) -> list[str]:
    """All valid phone numbers found in the given texts, E.164, sorted and unique.

    `words` (optional): lower-case word tokens of all the texts, if the caller has them; only
    used to decide whether the slow path (look-alikes, spelled digits) is needed at all."""
    out: set[str] = set()
    # one pass over all fields: a newline is not a separator, so no run spans two fields
    text = unhide_digits("\n".join(t for t in texts if t))
    if not text:
        return []
    if _needs_slow_path(text, words):
        _slow_numbers(text, out)
    else:
        _fast_numbers(text, out)
    return sorted(out)


def national_significant(e164: str) -> tuple[int, int] | None:
    """(country code, national number as int) used to find serial runs of numbers."""
    try:
        num = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return None
    return num.country_code, num.national_number
