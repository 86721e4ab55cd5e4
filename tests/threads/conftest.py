from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import override_settings

from tests.threads.helpers import SITE


@pytest.fixture(autouse=True)
def _site_url() -> Iterator[None]:
    with override_settings(SITE_URL=SITE, REPLY_DOMAIN="reply.forum.example.org"):
        yield
