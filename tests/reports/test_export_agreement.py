"""Issue 11, defects 8 and 9 for exports: a file says what the page says ("—" no data is an empty
cell, never 0.00), and files are named in Vietnamese without diacritics."""

import csv
import io
import re

import pytest

from motcua.reports import filenames
from tests.staff.support import verified_client

pytestmark = pytest.mark.django_db
Q1 = "period=quarter&on=2026-02-01"


def ranking_cells(html: str) -> list[list[str]]:
    body = html.split('aria-labelledby="ranking-title"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S)
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, re.S)]
        for r in rows
    ]


def test_the_ranking_file_leaves_empty_what_the_dashboard_shows_as_no_data(lived, monkeypatch):
    # A deployment without the payments app: online payment has no data, the page shows "—".
    from motcua.reports import payments_bridge

    monkeypatch.setattr(payments_bridge, "paid_online_by_center", lambda *args, **kwargs: None)
    client = verified_client(lived.admin)
    base = f"/bao-cao/tinh/{lived.province.pk}/?{Q1}"
    page = ranking_cells(client.get(base).content.decode())
    response = client.get(f"{base}&table=ranking&export=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, lines = rows[0], rows[1:]
    payment = next(i for i, h in enumerate(header) if h.startswith("Thanh toán trực tuyến"))
    assert len(lines) == len(page)
    dashes = 0
    for shown, written in zip(page, lines, strict=True):
        # page: rank, commune, score, the groups, change; file: rank, commune, score, coverage,
        # the groups, previous rank, change in rank, change in score
        groups = len(header) - 7
        for cell_shown, cell_written in zip(shown[3 : 3 + groups], written[4 : 4 + groups], strict=True):
            if cell_shown == "—":
                dashes += 1
                assert cell_written == "", (shown, written)
    assert dashes > 0  # online payment has no data yet: the page shows "—"
    assert all(line[payment] == "" for line in lines)


def test_exported_files_are_named_in_vietnamese_without_diacritics(lived):
    client = verified_client(lived.admin)
    province = lived.province.pk
    response = client.get(f"/bao-cao/tinh/{province}/?{Q1}&table=ranking&export=csv")
    name = re.search(r'filename="([^"]+)"', response["Content-Disposition"]).group(1)
    assert name == f"xep-hang-tinh-{province}-20260101.csv"
    center = lived.centers[0].center.pk
    response = client.get(f"/bao-cao/trung-tam/{center}/dinh-ky/?period=month&on=2026-02-01&export=pdf")
    assert f'filename="bao-cao-tthc-trung-tam-{center}-20260201.pdf"' in response["Content-Disposition"]


def test_file_name_words():
    assert filenames.word("Quá hạn") == "qua-han"
    assert filenames.measure_word("late") == "qua-han"
    assert set(filenames.MEASURE_WORDS) >= {"received", "late", "overdue"}
    assert all(re.fullmatch(r"[a-z0-9-]+", w) for w in filenames.MEASURE_WORDS.values())
