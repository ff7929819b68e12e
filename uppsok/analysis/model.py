"""Data passed between the extraction step (per ad, parallel) and the linking step (corpus)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .images import ImageFeatures

INDICATOR_CODES = (
    "third_person", "same_place_photos", "shared_phone", "offers_everything", "low_price",
    "language_mismatch", "not_from_sweden", "face_visible", "moves_between_cities", "do_not_talk",
    "swedish_ad_speaks_english", "bdsm_third_party", "possible_minor",
)
LINK_REASONS = ("same_phone", "serial_phone", "same_image", "similar_text", "same_profile")


@dataclass(slots=True)
class AdFeatures:
    """What we keep of one ad after extraction. The full text is dropped to keep 1M ads in
    memory; the indicators already carry their quoted evidence."""

    id: str
    seen: float  # POSIX seconds
    date: str  # YYYY-MM-DD as written, for evidence
    site: str
    city: str
    profile: str  # "site\x1fname" casefolded, "" when the ad has no profile name
    phones: tuple[str, ...]
    prices: tuple[int, ...]
    language: str
    indicators: list[tuple]  # (code, evidence[, matched spans or facts]), see `text.text_indicators`
    images: tuple[ImageFeatures, ...] = ()

    def __reduce__(self) -> tuple[type[AdFeatures], tuple]:
        # The fields in order: extraction workers send every ad to the main process, and this
        # pickles and unpickles in two thirds of the time of the slots' state.
        return (AdFeatures, (self.id, self.seen, self.date, self.site, self.city, self.profile, self.phones,
                             self.prices, self.language, self.indicators, self.images))

    @property
    def identity(self) -> str:
        """Who the ad claims to be: the profile, else its first phone, else the ad itself."""
        if self.profile:
            # the name without the site: the same handle and phone on two sites is one person
            return "n:" + self.profile.split("\x1f", 1)[-1]
        if self.phones:
            return "tel:" + self.phones[0]
        return "id:" + self.id


@dataclass(slots=True)
class Problem:
    line: int
    message: str
    fatal: bool  # the line was skipped (True) or only a field was ignored (False)


@dataclass(slots=True)
class ChunkResult:
    n_lines: int
    ads: list[AdFeatures] = field(default_factory=list)
    ad_lines: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Template shingles of the ads, flat (numpy uint32), and how many belong to each ad in order:
    # they are compared at linking time, once stock phrases are known for the whole corpus.
    shingles: object = None
    shingle_counts: object = None
