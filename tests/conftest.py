"""Shared test settings. Speed is measured in bench/, never by test deadlines: on a loaded
two-core machine the first example of a property test may take a while."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

settings.register_profile("project", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("project")
