#!/bin/sh
# Refresh the queue app's Vietnamese catalog: extract, fill from translate.py, compile.
set -e
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE=motcua.settings
../../../.venv/bin/django-admin makemessages -l vi --no-obsolete >/dev/null
../../../.venv/bin/python locale/translate.py
sed -i 's/^"Language: \\n"/"Language: vi\\n"/; s/^"Language-Team: LANGUAGE <LL@li.org>\\n"/"Language-Team: Vietnamese\\n"/' locale/vi/LC_MESSAGES/django.po
../../../.venv/bin/django-admin compilemessages >/dev/null
