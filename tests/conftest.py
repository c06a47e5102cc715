"""Shared test configuration.

Hypothesis profiles: "ci" (the default) keeps the whole suite well under ten
minutes on two cores; "thorough" is for a nightly-style run:

    HYPOTHESIS_PROFILE=thorough python -m pytest
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile(
    "thorough",
    max_examples=3000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
