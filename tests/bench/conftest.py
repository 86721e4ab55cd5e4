"""The bench app is installed only with ``BENCH=1``; these tests install it as that does."""

from __future__ import annotations

from typing import Any

import pytest

# The root URLconf decides once, when first imported, whether to include the bench URLs: it
# must be imported as production has it, before any test here installs the bench app.
import hls_forum.urls  # noqa: F401


@pytest.fixture
def bench_installed(settings: Any) -> None:
    """Settings as ``BENCH=1`` makes them: the app, its middleware and its URLs."""
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "bench"]
    settings.MIDDLEWARE = ["bench.querycount.QueryCountHeaderMiddleware", *settings.MIDDLEWARE]
    settings.ROOT_URLCONF = "tests.bench.urls"
