"""The posting tests' premium-creator fixture for the end-to-end tests (`mp4` is in tests/conftest.py)."""

from tests.services.test_posts import env  # noqa: F401
