"""Settings for the whole test suite.

Hypothesis' per-example deadline is a timed assertion: on a loaded machine an example that
is merely slow fails the run. Performance is measured by the benchmarks under ``bench/``,
never by tests, so the suite runs without deadlines.
"""

from hypothesis import settings

settings.register_profile("egovplan", deadline=None)
settings.load_profile("egovplan")
