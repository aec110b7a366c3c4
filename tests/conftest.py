"""Test settings shared by every test module.

Property-based tests explore new random examples on every run. In continuous integration
(``HYPOTHESIS_PROFILE=ci``, set by ``.ci/run``) they replay a fixed sequence instead, so
that a run's result does not depend on luck; explore locally to find new cases.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
