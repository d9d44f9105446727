import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from motcua.core.errors import ValidationFailed
from motcua.units.models import Commune, Province
from motcua.units.services import province_resolve

MOTCUA = Path(sys.executable).with_name("motcua")


@pytest.mark.django_db
def test_import_one_province_by_code_brings_all_its_communes():
    call_command("import_units", province=["82"])

    dong_thap = Province.objects.get(code="82")
    assert dong_thap.name == "Đồng Tháp"
    assert dong_thap.communes.count() == 102
    assert Commune.objects.filter(province=dong_thap, name="Phường Sa Đéc").exists()


@pytest.mark.django_db
def test_import_is_idempotent():
    call_command("import_units", province=["82"])
    call_command("import_units", province=["82"])
    assert Commune.objects.filter(province_id="82").count() == 102


@pytest.mark.parametrize("query", ["dong thap", "Đồng Tháp", "  ĐỒNG THÁP ", "tinh dong thap", "82"])
def test_province_name_is_accent_insensitive(query):
    [province] = province_resolve(query)
    assert int(province.code) == 82


@pytest.mark.parametrize("query", ["atlantis", "", "999"])
def test_unknown_province_is_refused_clearly(query):
    with pytest.raises(ValidationFailed):
        province_resolve(query)


@pytest.mark.django_db
def test_unknown_province_exits_with_status_2_and_imports_nothing():
    with pytest.raises(CommandError) as excinfo:
        call_command("import_units", province=["atlantis"])
    assert excinfo.value.returncode == 2
    assert "atlantis" in str(excinfo.value)
    assert not Province.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_import_all_brings_34_provinces_and_3321_communes():
    call_command("import_units", all=True)
    assert Province.objects.count() == 34
    assert Commune.objects.count() == 3321


def test_console_script_reports_bad_province_with_exit_status_2(tmp_path):
    result = subprocess.run(
        [str(MOTCUA), "import-units", "--province", "atlantis"],
        capture_output=True,
        text=True,
        env={"MOTCUA_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 2
    assert "atlantis" in result.stderr
