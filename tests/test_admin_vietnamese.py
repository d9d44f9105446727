"""Issue 11, defect 8: the admin speaks Vietnamese throughout: every field label of our models
and every list filter title is translated, and the facet toggle too."""

import pytest
from django.contrib import admin
from django.utils import translation

from tests.staff.support import birth_registration, receive, staffed

pytestmark = pytest.mark.django_db


NAMES = {"STARTTLS"}  # a protocol's name, the same in both languages


def _ours(model) -> bool:
    """Every app of motcua, the ones added later included."""
    return model.__module__.startswith("motcua.")


def test_every_field_of_our_admin_models_has_a_vietnamese_label():
    untranslated = []
    for model in admin.site._registry:
        if not _ours(model):
            continue
        for field in model._meta.get_fields():
            if not getattr(field, "concrete", False) or field.name == "id":
                continue
            with translation.override("vi"):
                vi = str(field.verbose_name)
            with translation.override("en"):
                en = str(field.verbose_name)
            if vi == en and en not in NAMES:
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


def test_every_list_of_our_admin_has_its_filters_in_vietnamese(admin_client):
    """The list pages of the apps added later too (queue, payments, notifications, security,
    results): no filter titled with a field's English name ("Bởi center", "Bởi status")."""
    import re

    english = re.compile(r"Bởi ([a-z_ ]+)\s*<")
    for model, model_admin in admin.site._registry.items():
        if not _ours(model) or not model_admin.list_filter:
            continue
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        page = admin_client.get(url)
        assert page.status_code == 200, url
        assert english.findall(page.content.decode()) == [], url
