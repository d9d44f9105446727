"""Dossiers paid online come from the payments app (`motcua.payments.selectors`); without it the
answer is None ("no data", never a zero), like the feedback bridge."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from datetime import date

from .feedback_bridge import window


def paid_online_by_center(center_ids: Iterable[int], start: date, end: date) -> dict | None:
    try:
        module = importlib.import_module("motcua.payments.selectors")
    except ImportError:
        return None
    low, high = window(start, end)
    return module.paid_online_by_center(center_ids=list(center_ids), start=low, end=high)
