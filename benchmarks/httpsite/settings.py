"""The app's settings, with a URLconf that adds the hello-world view (benchmarks only)."""

from config.settings import *  # noqa: F403 (the production settings, unchanged)

ROOT_URLCONF = "benchmarks.httpsite.urls"
