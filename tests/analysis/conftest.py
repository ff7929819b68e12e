"""Hypothesis profiles for the analysis tests.

CI runs with CI=true: there the property tests are derandomized (the same examples every run, no
example database), so a CI run cannot fail on a new random example that has nothing to do with
the change under test. Locally the default profile keeps exploring new examples on every run —
that is how the property tests find bugs; a failure found locally is replayed from the local
example database (.hypothesis/) and should become an @example or a unit test.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
