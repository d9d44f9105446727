"""`motcua pki`: a demo CA, signers' and seals' keys, clear errors with exit status 2."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from motcua.results import signing


def run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("pki", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_init_ca_then_issue_a_signers_key_that_signs(tmp_path):
    assert run("init-ca", "--name", "CA Demo Một cửa", "--out", str(tmp_path / "ca"))[0] == 0
    code, out, _err = run(
        "issue",
        "--ca",
        str(tmp_path / "ca"),
        "--cn",
        "Nguyễn Văn A",
        "--org",
        "UBND xã Phú Thọ",
        "--out",
        str(tmp_path / "a.p12"),
        "--password",
        "mat-khau",
    )
    assert code == 0 and "a.p12" in out
    signing.clear_cache()
    signer = signing.load_pkcs12(tmp_path / "a.p12", "mat-khau")
    assert signing.subject_name(signer.signing_cert) == "Nguyễn Văn A"
    assert signing.subject_org(signer.signing_cert) == "UBND xã Phú Thọ"
    issuer = signer.signing_cert.issuer.native["common_name"]
    assert issuer == "CA Demo Một cửa"


@pytest.mark.parametrize(
    "args, words",
    [
        (("init-ca", "--name", "  ", "--out", "{tmp}/x"), "không được để trống"),
        (
            ("issue", "--ca", "{tmp}/none", "--cn", "A", "--out", "{tmp}/a.p12", "--password", "p"),
            "Không tìm thấy CA",
        ),
        (("issue", "--ca", "{tmp}/ca", "--cn", "", "--out", "{tmp}/b.p12", "--password", "p"), "--cn"),
        (("issue", "--ca", "{tmp}/ca", "--cn", "A", "--out", "{tmp}/c.p12", "--password", ""), "mật khẩu"),
        (("init-ca", "--name", "Lần hai", "--out", "{tmp}/ca"), "đã có một CA"),
    ],
)
def test_bad_input_is_refused_in_both_languages_with_exit_status_2(tmp_path, args, words):
    run("init-ca", "--name", "CA", "--out", str(tmp_path / "ca"))
    code, _out, err = run(*[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert code == 2
    assert words in err and "/" in err  # Vietnamese, then English
