import pytest
from django.core.cache import cache
from django.test import Client

from tests.language import english_client


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()  # rate limits live in the cache; each test starts clean
    yield
    cache.clear()


@pytest.fixture
def en() -> Client:
    """English msgids: the pages' wording is asserted in English; Vietnamese has its own tests."""
    return english_client()


@pytest.fixture
def vi() -> Client:
    return Client()
