"""What-if settings for the bench (`bench/run.py --settings settings_prepared`): the project's
settings with psycopg's server-side binding, so that statements repeated on a persistent
connection are prepared once and not planned again by PostgreSQL on every request."""

from motcua.settings import *  # noqa: F403
from motcua.settings import DATABASES

_options = DATABASES["default"].setdefault("OPTIONS", {})
_options["server_side_binding"] = True
# Django turns psycopg's automatic preparation off unless asked: prepare a statement on its 2nd use.
_options["prepare_threshold"] = 1
