"""Shared settings for the routing core's tests."""

from hypothesis import settings

# CI runs on two busy cores: a per-example deadline would make timing, not behaviour, fail tests.
settings.register_profile("routing", deadline=None)
settings.load_profile("routing")
