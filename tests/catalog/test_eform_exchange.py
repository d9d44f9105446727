"""E-form definitions in the catalog: stored per version, frozen with a used version, carried
byte-for-byte by the JSON and CSV export and import."""

import csv
import io
import json

import pytest
from django.utils import translation

from motcua.catalog import exchange, services
from motcua.catalog.eform import FormField, FormSpec
from motcua.catalog.models import Field, Procedure, ProcedureVersion
from motcua.catalog.specs import CatalogFileError, CatalogInvalid, spec_from_version
from motcua.core.errors import DomainError
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


FORM = FormSpec(
    title="TỜ KHAI ĐĂNG KÝ KHAI TỬ",
    component=1,
    signer="requester_name",
    fields=(
        FormField("requester_name", "Họ, chữ đệm, tên người yêu cầu", required=True, source="card.full_name"),
        FormField("requester_id_number", "Số định danh cá nhân", "id_number", source="card.id_number"),
        FormField("deceased_sex", "Giới tính", "choice", options=("Nam", "Nữ"), section="Người đã chết"),
        FormField("death_date", "Ngày chết", "date", required=True, section="Người đã chết"),
        FormField("death_place", "Nơi chết", "address", reuse=True, section="Người đã chết"),
    ),
)


def _empty_catalog() -> None:
    ProcedureVersion.objects.all().delete()
    Procedure.objects.all().delete()
    Field.objects.all().delete()


def test_a_version_stores_its_form_and_gives_it_back():
    version = factories.catalog_version(form=FORM)
    version.refresh_from_db()
    assert version.form["fields"][0]["source"] == "card.full_name"
    assert spec_from_version(version).form == FORM
    assert spec_from_version(factories.catalog_version()).form is None


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_forms_survive_export_import_export_byte_for_byte(fmt, tmp_path):
    # given the demo catalog (seven forms) and one version without a form
    services.catalog_load_demo()
    factories.catalog_version(national_code="9.000001")
    first = tmp_path / f"first.{fmt}"
    exchange.write_catalog_file(first)
    text = first.read_text(encoding="utf-8-sig")
    assert "TỜ KHAI ĐĂNG KÝ KHAI SINH" in text and "card.full_name" in text
    # when emptied, imported and exported again
    _empty_catalog()
    services.catalog_import_file(path=first)
    second = tmp_path / f"second.{fmt}"
    exchange.write_catalog_file(second)
    # then the files are identical and the forms are back
    assert second.read_bytes() == first.read_bytes()
    birth = ProcedureVersion.objects.get(procedure__national_code="1.001193")
    assert birth.form["title"] == "TỜ KHAI ĐĂNG KÝ KHAI SINH"
    assert ProcedureVersion.objects.get(procedure__national_code="9.000001").form == {}


def test_the_csv_carries_the_form_as_json_in_its_last_column(tmp_path):
    factories.catalog_version(national_code="1.000656", form=FORM)
    path = tmp_path / "c.csv"
    exchange.write_catalog_file(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert exchange.format.CSV_COLUMNS[-1] == "form"
    assert json.loads(rows[0]["form"])["fields"][3] == {
        "key": "death_date",
        "label": "Ngày chết",
        "type": "date",
        "required": True,
        "section": "Người đã chết",
    }


def test_a_bad_form_in_a_file_is_refused_naming_the_item_and_nothing_is_kept(tmp_path):
    factories.catalog_version(national_code="1.000656", form=FORM)
    path = tmp_path / "c.json"
    exchange.write_catalog_file(path)
    document = json.loads(path.read_text(encoding="utf-8"))
    form = document["procedures"][0]["versions"][0]["form"]
    form["fields"][2]["type"] = "radio"
    form["fields"].append({"key": "death_date", "label": "Lặp", "type": "date"})
    form["component"] = 5
    _empty_catalog()
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CatalogFileError) as caught:
        services.catalog_import_file(path=path)
    text = "\n".join(caught.value.problems)
    assert 'item 1, version 1, field "form": the form fills component 5' in text
    assert 'field 3: unknown field type "radio"' in text and 'the key "death_date" is used twice' in text
    assert not Procedure.objects.exists()


def test_a_misspelt_form_key_in_a_csv_cell_is_named(tmp_path):
    factories.catalog_version(national_code="1.000656", form=FORM)
    path = tmp_path / "c.csv"
    exchange.write_catalog_file(path)
    text = path.read_text(encoding="utf-8-sig").replace('""required"": true', '""requird"": true', 1)
    path.write_text(text, encoding="utf-8-sig")
    with pytest.raises(CatalogFileError) as caught:
        exchange.read_catalog_file(path)
    assert caught.value.problems == ['row 1, field "form": field 1: unknown key "requird"']


def test_the_form_of_a_used_version_cannot_change(tmp_path):
    # given a version with a form that a dossier was filed under
    version = factories.catalog_version(national_code="1.000656", form=FORM)
    center = factories.center()
    from motcua.dossiers import services as dossier_services

    dossier_services.dossier_intake(
        actor=factories.user("desk_officer", center_obj=center),
        center=center,
        procedure_version=version,
        channel="counter",
        applicant=dossier_services.Applicant(name="Trần Thị B", id_number="087190001234"),
        components=[dossier_services.ComponentCheck(c.pk, True) for c in version.components.all()],
    )
    # when its form is changed (through the service or a file)
    changed = FormSpec(FORM.title, FORM.fields[:2], component=1)
    spec = spec_from_version(version)
    import dataclasses

    with pytest.raises(DomainError) as caught:
        services.procedure_version_update(version=version, spec=dataclasses.replace(spec, form=changed))
    # then it is refused: the rules of a used version are frozen
    assert caught.value.code == "version_in_use"
    version.refresh_from_db()
    assert len(version.form["fields"]) == 5


def test_the_service_refuses_an_invalid_form():
    with pytest.raises(CatalogInvalid) as caught:
        factories.catalog_version(form=FormSpec("T", (FormField("a", "A", "choice"),)))
    assert caught.value.problems[0].field == "form"


def test_the_catalog_api_gives_the_form_with_the_procedure(client):
    factories.catalog_version(national_code="1.000656", form=FORM)
    body = client.get("/api/v1/procedures/1.000656").json()
    assert body["form"]["title"] == "TỜ KHAI ĐĂNG KÝ KHAI TỬ"
    assert [f["type"] for f in body["form"]["fields"]] == ["text", "id_number", "choice", "date", "address"]
