"""Catalog files: round trips in both formats, and bad files refused whole with precise errors."""

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation

from motcua.catalog import exchange, services
from motcua.catalog.models import Field, Procedure, ProcedureVersion
from motcua.catalog.specs import CatalogFileError, ComponentSpec, FeeSpec, StepSpec
from motcua.workdays.core import TimeLimit
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _varied_catalog() -> None:
    """Every kind of value: limits, fees, optional keys, multi-line text, two versions."""
    civil = factories.field("HOTICH", "Hộ tịch")
    residence = factories.field("CUTRU", "Đăng ký, quản lý cư trú")
    factories.catalog_version(
        national_code="2.000815",
        field_obj=civil,
        name="Chứng thực bản sao từ bản chính",
        limit=TimeLimit.parse("same day"),
        limit_note="Sau 15 giờ: ngày làm việc tiếp theo",
        boundary_free=True,
        legal_basis="Nghị định số 23/2015/NĐ-CP;\nThông tư số 226/2016/TT-BTC",
        applicants='Cá nhân, tổ chức; "dấu ngoặc kép", dấu phẩy',
        fees=(
            FeeSpec(
                "Phí chứng thực",
                "per_page",
                amount=2000,
                pages_at_first_rate=2,
                later_page_amount=1000,
                cap=200000,
                note="tối đa 200.000 đồng/bản",
            ),
        ),
        components=(
            ComponentSpec("Bản chính"),
            ComponentSpec(
                "Bản sao",
                "copy",
                copies=2,
                mandatory=False,
                condition="Khi tự chụp",
                form_template="forms/mau.docx",
            ),
        ),
        steps=tuple(
            StepSpec(n, r, Decimal("0.25"), "VP")
            for n, r in [("Tiếp nhận", "desk_officer"), ("Đối chiếu", "specialist"), ("Ký", "leader")]
        ),
    )
    for number, start, name in [
        (1, date(2024, 7, 1), "Đăng ký thường trú"),
        (2, date(2025, 7, 1), "Đăng ký thường trú"),
    ]:
        services.procedure_version_create(
            national_code="1.004194",
            field=residence,
            spec=factories.version_spec(
                version=number,
                effective_from=start,
                effective_to=date(2025, 6, 30) if number == 1 else None,
                name=name,
                limit=TimeLimit.parse("7 working days"),
                channels=("counter", "post", "online_full"),
                fees=(
                    FeeSpec("Lệ phí", "fixed", amount=20000),
                    FeeSpec("Lệ phí trực tuyến", "fixed", channel="online_full", amount=10000),
                ),
                steps=(StepSpec("Thẩm định", "specialist", Decimal("6.5")),),
            ),
        )
    factories.catalog_version(
        national_code="1.009994",
        field_obj=factories.field("XAYDUNG", "Hoạt động xây dựng"),
        name="Cấp giấy phép xây dựng",
        limit=TimeLimit.parse("15 calendar days"),
        level="commune",
        is_demo=True,
    )
    factories.catalog_version(
        national_code="9.000001",
        limit=TimeLimit.parse("4 working hours"),
        steps=(StepSpec("Xử lý", "specialist", Decimal("0.5")),),
    )


def _empty_catalog() -> None:
    ProcedureVersion.objects.all().delete()
    Procedure.objects.all().delete()
    Field.objects.all().delete()


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_import_into_an_empty_catalog_export_gives_the_same_file(fmt, tmp_path):
    # given a varied catalog exported to a file
    _varied_catalog()
    first = tmp_path / f"first.{fmt}"
    assert exchange.write_catalog_file(first) == 5
    # when the catalog is emptied, the file imported and exported again
    _empty_catalog()
    report = services.catalog_import_file(path=first)
    second = tmp_path / f"second.{fmt}"
    exchange.write_catalog_file(second)
    # then both files are byte-identical
    assert report.created == 5
    assert second.read_bytes() == first.read_bytes()


def test_csv_starts_with_a_bom_and_has_one_row_per_version_with_json_columns(tmp_path):
    _varied_catalog()
    path = tmp_path / "catalog.csv"
    exchange.write_catalog_file(path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 5
    residence = [r for r in rows if r["national_code"] == "1.004194"]
    assert [r["version"] for r in residence] == ["1", "2"]
    assert json.loads(residence[0]["fees"])[1] == {
        "name": "Lệ phí trực tuyến",
        "kind": "fixed",
        "channel": "online_full",
        "amount": 10000,
    }
    assert residence[0]["channels"] == "counter;post;online_full"


def test_json_nests_procedures_versions_and_children():
    _varied_catalog()
    text, count = exchange.export_catalog("json")
    document = json.loads(text)
    assert count == 5
    residence = next(p for p in document["procedures"] if p["national_code"] == "1.004194")
    assert residence["field"] == {"code": "CUTRU", "name": "Đăng ký, quản lý cư trú"}
    assert [v["version"] for v in residence["versions"]] == [1, 2]
    assert residence["versions"][0]["limit"] == "7 working days"
    assert residence["versions"][0]["steps"] == [
        {"name": "Thẩm định", "role": "specialist", "budget_days": 6.5}
    ]


def test_importing_the_same_file_twice_changes_nothing(tmp_path):
    _varied_catalog()
    path = tmp_path / "c.json"
    exchange.write_catalog_file(path)
    report = services.catalog_import_file(path=path)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 5)


def _csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=exchange.format.CSV_COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue()


def _good_row(code: str, **changes) -> dict:
    row = {
        "national_code": code,
        "field_code": "HOTICH",
        "field_name": "Hộ tịch",
        "version": "1",
        "effective_from": "01/07/2025",
        "effective_to": "",
        "name": "Đăng ký khai tử",
        "level": "commune",
        "competent_unit": "UBND cấp xã",
        "applicants": "",
        "steps_description": "",
        "limit": "trong ngày",
        "limit_note": "",
        "channels": "counter;online_full",
        "boundary_free": "có",
        "result": "",
        "legal_basis": "",
        "fee_note": "",
        "is_demo": "",
        "components": '[{"name": "Tờ khai"}]',
        "fees": '[{"name": "Lệ phí", "kind": "free"}]',
        "steps": '[{"name": "Xử lý", "role": "specialist", "budget_days": "0,5"}]',
    }
    row.update(changes)
    return row


def test_a_bad_csv_is_refused_whole_naming_row_field_and_problem(tmp_path):
    # given a CSV whose third data row has a limit nobody can read, after two good rows
    path = tmp_path / "bad.csv"
    path.write_text(
        _csv([_good_row("1.000001"), _good_row("1.000002"), _good_row("1.000003", limit="3 ngay lam")]),
        encoding="utf-8-sig",
    )
    # when it is imported
    with pytest.raises(CatalogFileError) as caught:
        services.catalog_import_file(path=path)
    # then the error names the row, the field and the problem, and nothing is imported
    assert caught.value.problems == [
        'row 3, field "limit": unknown time limit "3 ngay lam" (use "same day", "N working days", '
        '"N working hours" or "N calendar days")'
    ]
    assert not Procedure.objects.exists()
    assert not Field.objects.exists()


def test_the_good_rows_of_that_file_import_with_vietnamese_spellings(tmp_path):
    path = tmp_path / "good.csv"
    path.write_text(_csv([_good_row("1.000001"), _good_row("1.000002")]), encoding="utf-8")
    report = services.catalog_import_file(path=path)
    version = ProcedureVersion.objects.get(procedure__national_code="1.000001")
    assert report.created == 2
    assert (version.limit_kind, version.boundary_free, version.effective_from) == (
        "same_day",
        True,
        date(2025, 7, 1),
    )
    assert version.steps.get().budget_days == Decimal("0.5")


def test_every_problem_of_a_file_is_reported_at_once(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        _csv(
            [
                _good_row("1.000001", version="một", channels="counter;fax"),
                _good_row(
                    "1.000002", steps='[{"name": "Xử lý", "role": "specialist"}]', effective_from="31/02/2025"
                ),
                _good_row("1.000003", channels="counter;fax"),
            ]
        ),
        encoding="utf-8",
    )
    with pytest.raises(CatalogFileError) as caught:
        services.catalog_import_file(path=path)
    assert caught.value.problems == [
        'row 1, field "version": must be a whole number, not "một"',
        'row 2, field "effective_from": must be a date as YYYY-MM-DD or DD/MM/YYYY, not "31/02/2025"',
        'row 2, field "steps": item 1: budget_days: is missing',
        'row 3, field "channels": unknown channel "fax" '
        "(use one of counter, post, online_full, online_partial)",
    ]


def test_service_rules_are_reported_with_the_json_item_and_nothing_is_kept(tmp_path):
    # given a JSON file whose first procedure is fine and whose second needs more days than allowed
    good = {
        "national_code": "1.000001",
        "field": {"code": "HOTICH", "name": "Hộ tịch"},
        "versions": [
            {
                "version": 1,
                "effective_from": "2025-07-01",
                "name": "A",
                "competent_unit": "UBND",
                "limit": "3 working days",
                "channels": ["counter"],
            }
        ],
    }
    bad = json.loads(json.dumps(good))
    bad["national_code"] = "1.000002"
    bad["versions"][0]["steps"] = [{"name": "Thẩm định", "role": "specialist", "budget_days": 5}]
    bad["versions"][0]["fees"] = [{"name": "Lệ phí", "kind": "fixed", "channel": "post", "amount": 1}]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"format": "motcua-catalog", "procedures": [good, bad]}), encoding="utf-8")
    # when it is imported
    with pytest.raises(CatalogFileError) as caught:
        services.catalog_import_file(path=path)
    # then both problems of item 2 are named and the good item 1 was rolled back too
    assert caught.value.problems == [
        'item 2, version 1, field "fees": item 1: '
        "the fee is for channel post, which the procedure does not offer",
        'item 2, version 1, field "steps": the internal process steps take 5 working days in total, '
        "but the time limit (3 working days) allows at most 3",
    ]
    assert not Procedure.objects.exists()


def test_an_unknown_field_code_without_a_name_is_refused(tmp_path):
    path = tmp_path / "f.json"
    path.write_text(
        json.dumps(
            [
                {
                    "national_code": "1.000001",
                    "field": "NOPE",
                    "versions": [
                        {
                            "version": 1,
                            "effective_from": "2025-07-01",
                            "name": "A",
                            "competent_unit": "UBND",
                            "limit": "same day",
                            "channels": ["counter"],
                        }
                    ],
                }
            ]
        ),
        encoding="utf-8",
    )
    with pytest.raises(CatalogFileError) as caught:
        services.catalog_import_file(path=path)
    assert caught.value.problems == [
        'item 1, version 1, field "field": unknown field "NOPE" (give its code and name to create it)'
    ]


def test_an_existing_field_can_be_named_by_code_alone(tmp_path):
    factories.field("HOTICH", "Hộ tịch")
    path = tmp_path / "f.json"
    path.write_text(
        json.dumps(
            [
                {
                    "national_code": "1.000001",
                    "field": "HOTICH",
                    "versions": [
                        {
                            "version": 1,
                            "effective_from": "2025-07-01",
                            "name": "A",
                            "competent_unit": "UBND",
                            "limit": "same day",
                            "channels": ["counter"],
                        }
                    ],
                }
            ]
        ),
        encoding="utf-8",
    )
    assert services.catalog_import_file(path=path).created == 1


def test_duplicates_and_typos_in_json_are_named(tmp_path):
    version = {
        "version": 1,
        "effective_from": "2025-07-01",
        "name": "A",
        "competent_unit": "UBND",
        "limit": "same day",
        "channels": ["counter"],
        "limt_note": "x",
        "components": [{"name": "Tờ khai", "copies": "two"}],
    }
    item = {
        "national_code": "1.000001",
        "field": {"code": "HOTICH", "name": "Hộ tịch"},
        "versions": [version],
    }
    path = tmp_path / "d.json"
    path.write_text(json.dumps([item]), encoding="utf-8")
    with pytest.raises(CatalogFileError) as caught:
        services.catalog_import_file(path=path)
    assert caught.value.problems == [
        'item 1, version 1, field "limt_note": unknown field "limt_note"',
        'item 1, version 1, field "components": item 1: copies: must be a whole number, not "two"',
    ]


def test_a_file_that_is_not_json_names_line_and_column(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"procedures": [\n  {,}\n]}', encoding="utf-8")
    with pytest.raises(CatalogFileError) as caught:
        services.catalog_import_file(path=path)
    assert caught.value.problems[0].startswith("line 2, column 4: not valid JSON")


def test_the_format_comes_from_the_extension_or_is_asked_for(tmp_path):
    path = tmp_path / "catalog.txt"
    with pytest.raises(CatalogFileError):
        exchange.write_catalog_file(path)
    assert exchange.write_catalog_file(path, fmt="csv") == 0
    assert path.read_text(encoding="utf-8-sig").startswith("national_code,")


# -- the command ------------------------------------------------------------------------------------------
def test_command_exports_and_imports(tmp_path):
    _varied_catalog()
    path = tmp_path / "c.json"
    out = io.StringIO()
    call_command("catalog", "export", str(path), stdout=out)
    assert out.getvalue().strip().endswith(": 5.")
    _empty_catalog()
    out = io.StringIO()
    call_command("catalog", "import", str(path), stdout=out)
    assert "5 created, 0 updated, 0 unchanged" in out.getvalue()


def test_command_refuses_a_bad_file_with_status_2_and_the_message_on_stderr(tmp_path):
    path = tmp_path / "bad.data"
    path.write_text(_csv([_good_row("1.000001", limit="3 ngay lam")]), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("catalog", "import", str(path), "--format", "csv", stderr=err)
    assert exited.value.code == 2
    assert 'row 1, field "limit": unknown time limit "3 ngay lam"' in err.getvalue()
    assert "Nothing was imported" in err.getvalue()
    assert not Procedure.objects.exists()
