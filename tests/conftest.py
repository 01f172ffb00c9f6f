"""Test configuration: hypothesis profiles.

- ``ci`` (the default; also selected when the environment variable ``CI`` is set): deterministic
  (derandomized, fixed database-free runs) with bounded example counts, so CI is reproducible.
- ``soak``: many more random examples for local exploratory runs:
  ``HYPOTHESIS_PROFILE=soak python -m pytest``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    max_examples=40,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "soak",
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
