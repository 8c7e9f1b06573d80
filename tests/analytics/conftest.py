"""The posting tests' fixtures (a premium creator, a real small MP4) for the end-to-end tests."""

from tests.services.test_posts import env, mp4  # noqa: F401
