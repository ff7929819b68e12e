"""Read-models for outreach pages (no writes, no audit rows)."""

from __future__ import annotations

from typing import Any

from .analysis_adapter import minor_age
from .models import Ad, AdIndicator


def child_route(organisation: Any, ad: Ad) -> dict[str, Any]:
    """Whether the ad may be about a child, and whether its stated age is outside the ages the
    organisation works with (its setting), for the warning at the top of the ad's pages."""
    flagged = ad.indicators.filter(code="possible_minor").exclude(status=AdIndicator.Status.DISMISSED).exists()
    # A stated child's age holds even before the analysis has run or after its flag was dismissed.
    age = ad.stated_age
    lo, hi = organisation.serves_age_min, organisation.serves_age_max
    outside = age is not None and ((lo is not None and age < lo) or (hi is not None and age > hi))
    return {
        "child": flagged or (age is not None and age < minor_age()),
        "flagged": flagged,
        "age": age,
        "outside_range": outside,
        "age_min": lo,
        "age_max": hi,
    }
