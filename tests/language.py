"""Pages speak Vietnamese unless English was chosen with the language switch (issue 11): tests
that assert English msgids choose English the way a visitor does, with the switch's cookie."""

from django.conf import settings
from django.test import Client


def english_client(**defaults) -> Client:
    client = Client(**defaults)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
