"""The posting tests' premium-creator fixture for the end-to-end tests.

The small real MP4 (`mp4`) comes from tests/conftest.py.
"""

from tests.services.test_posts import env  # noqa: F401
