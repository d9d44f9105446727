"""Choices of the catalog, kept apart from the models so the pure rules can use them without a database."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    PROVINCE = "province", _("Province")
    CENTRAL = "central", _("Central")


class Channel(models.TextChoices):
    COUNTER = "counter", _("At the counter")
    POST = "post", _("By public postal service")
    ONLINE_FULL = "online_full", _("Full online")
    ONLINE_PARTIAL = "online_partial", _("Partial online")


class PaperForm(models.TextChoices):
    ORIGINAL = "original", _("Original")
    COPY = "copy", _("Copy")
    CERTIFIED_COPY = "certified_copy", _("Certified copy")
    ORIGINAL_TO_COMPARE = "original_to_compare", _("Copy with original to compare")
    ELECTRONIC = "electronic", _("Electronic data")


class FeeKind(models.TextChoices):
    FIXED = "fixed", _("Fixed amount")
    PER_PAGE = "per_page", _("Per page")
    SET_BY_PROVINCE = "set_by_province", _("Set by the province")
    FREE = "free", _("Free")
