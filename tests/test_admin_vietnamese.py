"""Issue 11, defect 8: the admin speaks Vietnamese throughout: every field label of our models
and every list filter title is translated, and the facet toggle too."""

import pytest
from django.contrib import admin
from django.utils import translation

from tests.staff.support import birth_registration, receive, staffed

pytestmark = pytest.mark.django_db

OURS = ("units", "catalog", "dossiers", "workdays", "portal", "feedback", "reports", "api")


def test_every_field_of_our_admin_models_has_a_vietnamese_label():
    untranslated = []
    for model in admin.site._registry:
        if model._meta.app_label not in OURS:
            continue
        for field in model._meta.get_fields():
            if not getattr(field, "concrete", False) or field.name == "id":
                continue
            with translation.override("vi"):
                vi = str(field.verbose_name)
            with translation.override("en"):
                en = str(field.verbose_name)
            if vi == en:
                untranslated.append(f"{model._meta.label}.{field.name}: {en}")
    assert untranslated == []


def test_the_dossier_list_in_the_admin_is_all_vietnamese(admin_client):
    c, v = staffed(prefix="h-"), birth_registration()
    receive(c, v)
    other = staffed(prefix="k-")
    receive(other, v)  # two centers: the admin shows the filter by handling center
    page = admin_client.get("/admin/dossiers/dossier/?_facets=True").content.decode()
    for english in ("Show counts", "Hide counts", "By center", "Bởi center", "Procedure version", "By state"):
        assert english not in page, english
    assert "Bởi đơn vị giải quyết" in page and "Phiên bản thủ tục" in page
