"""The e-form rules (pure): definitions, their canonical spelling, field values and the pre-fill."""

import json
import string
from datetime import date

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from motcua.catalog import eform
from motcua.catalog.eform import FormField, FormSpec
from motcua.catalog.services import DEMO_CATALOG
from motcua.identity.cccd import parse_cccd_qr

CARD = "087190001234|361234567|Trần Thị Ánh Nguyệt|15031990|Nữ|Ấp 3, xã Mỹ An Hưng, tỉnh Đồng Tháp|01072021"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


COMMON = {
    "1.001193": "birth",
    "1.000656": "death",
    "1.000894": "marriage",
    "1.004194": "permanent residence",
    "1.004222": "temporary residence",
    "2.000815": "certified copy",
}


def demo_forms() -> dict[str, tuple[FormSpec, int]]:
    document = json.loads(DEMO_CATALOG.read_text(encoding="utf-8"))
    return {
        p["national_code"]: (eform.form_from_dict(v["form"]), len(v["components"]))
        for p in document["procedures"]
        for v in p["versions"]
        if "form" in v
    }


def test_the_common_procedures_of_the_demo_have_valid_forms_filled_from_the_card():
    forms = demo_forms()
    assert set(COMMON) <= set(forms)
    for code, (form, components) in forms.items():
        assert eform.form_problems(form, components) == [], code
        sources = {f.source for f in form.fields}
        assert {"card.full_name", "card.id_number"} <= sources, code
        assert form.signer and form.field(form.signer).source == "card.full_name"


def test_the_birth_form_has_typed_fields():
    form, _ = demo_forms()["1.001193"]
    types = {f.key: f.type for f in form.fields}
    assert types["child_birth_date"] == "date" and types["requester_id_number"] == "id_number"
    assert types["child_sex"] == "choice" and types["child_birth_place"] == "address"
    assert form.component == 1 and form.field("child_name").required


def _field(**kwargs) -> FormField:
    return FormField(**{"key": "name", "label": "Họ tên", **kwargs})


@pytest.mark.parametrize(
    ("form", "components", "expected"),
    [
        (FormSpec("T", (_field(), _field())), 1, 'the key "name" is used twice'),
        (FormSpec("T", (_field(key="Họ tên"),)), 1, "must be lower-case letters"),
        (FormSpec("T", (_field(type="number"),)), 1, 'unknown field type "number"'),
        (FormSpec("T", (_field(type="choice"),)), 1, "a choice needs options"),
        (FormSpec("T", (_field(options=("A",)),)), 1, "only a choice has options"),
        (FormSpec("T", (_field(type="choice", options=("Nữ", "Nu")),)), 1, "an option is listed twice"),
        (FormSpec("T", (_field(type="date", source="card.full_name"),)), 1, "cannot take"),
        (FormSpec("T", (_field(source="card.photo"),)), 1, 'unknown source "card.photo"'),
        (FormSpec("T", (_field(),), component=3), 2, "fills component 3, but the version has 2"),
        (FormSpec("T", (_field(),), signer="who"), 1, 'the signer "who" is not a field'),
        (FormSpec("", (_field(),)), 1, "the form needs a title"),
        (FormSpec("T", ()), 1, "at least one field"),
    ],
)
def test_each_definition_rule_is_named(form, components, expected):
    problems = eform.form_problems(form, components)
    assert any(expected in p for p in problems), problems


def test_a_misspelt_key_in_a_definition_is_refused_not_dropped():
    with pytest.raises(eform.FormDefinitionError, match='unknown key "requird"'):
        eform.form_from_dict({"title": "T", "fields": [{"key": "a", "label": "A", "requird": True}]})
    with pytest.raises(eform.FormDefinitionError, match="must be a whole number"):
        eform.form_from_dict({"title": "T", "component": "1", "fields": []})


# -- properties -----------------------------------------------------------------------------------
keys = st.text(string.ascii_lowercase, min_size=1, max_size=8)
labels = st.text(min_size=1, max_size=30).map(lambda s: " ".join(s.split())).filter(bool)


@st.composite
def fields(draw):
    kind = draw(st.sampled_from(eform.FIELD_TYPES))
    options = (
        tuple(draw(st.lists(labels, min_size=1, max_size=4, unique_by=eform.search_key)))
        if kind == "choice"
        else ()
    )
    sources = [s for s, types in eform.SOURCES.items() if kind in types]
    return FormField(
        key=draw(keys),
        label=draw(labels),
        type=kind,
        required=draw(st.booleans()),
        options=options,
        source=draw(st.sampled_from(["", *sources])),
        reuse=draw(st.booleans()),
        section=draw(st.sampled_from(["", "Người yêu cầu", "Mẹ"])),
    )


@st.composite
def forms(draw):
    items = draw(st.lists(fields(), min_size=1, max_size=8, unique_by=lambda f: f.key))
    return FormSpec(
        title=draw(labels),
        fields=tuple(items),
        component=draw(st.sampled_from([None, 1])),
        signer=draw(st.sampled_from(["", items[0].key])),
        commitment=draw(st.sampled_from(["", "Tôi cam đoan."])),
    )


@given(forms())
def test_a_definition_survives_its_canonical_spelling_and_json(form):
    data = json.loads(json.dumps(eform.form_to_dict(form), ensure_ascii=False))
    assert eform.form_from_dict(data) == form
    assert eform.form_to_dict(eform.form_from_dict(data)) == data


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)), st.sampled_from(eform.DATE_FORMATS)
)
def test_a_date_in_any_accepted_spelling_becomes_dd_mm_yyyy(day, pattern):
    assert eform.clean_value(_field(type="date"), day.strftime(pattern)) == f"{day:%d/%m/%Y}"


@given(st.text(string.digits, min_size=1, max_size=14))
def test_an_id_number_is_12_digits_or_an_old_9(digits):
    f = _field(type="id_number")
    if len(digits) in (9, 12):
        assert eform.clean_value(f, digits) == digits
    else:
        with pytest.raises(eform.FieldValueError):
            eform.clean_value(f, digits)


def test_values_are_checked_by_type_and_requirement():
    form = FormSpec(
        "T",
        (
            _field(key="sex", label="Giới tính", type="choice", options=("Nam", "Nữ"), required=True),
            _field(key="born", label="Ngày sinh", type="date"),
            _field(key="place", label="Nơi sinh", type="address", required=True),
        ),
    )
    values, problems = eform.clean_values(form, {"sex": "nu", "born": "31/02/2020", "place": " "})
    assert values["sex"] == "Nữ"  # accents optional, the option's own spelling kept
    assert set(problems) == {"born", "place"}
    assert eform.clean_values(form, {"sex": "Nam", "place": "x" * 301})[1]["place"].startswith("At most")


@given(forms(), st.data())
def test_the_prefill_never_overwrites_what_is_there_and_fills_the_rest(form, data):
    card = parse_cccd_qr(CARD)
    typed = {f.key: data.draw(st.sampled_from(["", "  ", "gõ tay"])) for f in form.fields}
    earlier = {f.key: "lần trước" for f in form.fields}
    out = eform.prefill(form, current=typed, card=card, earlier=earlier)
    for f in form.fields:
        from_card = eform._from_card(f, card)
        if typed[f.key].strip():
            assert out[f.key] == typed[f.key].strip()
        elif from_card:
            assert out[f.key] == from_card
            assert eform.clean_value(f, from_card) == from_card  # a card value fits its field
        elif f.reuse:
            assert out[f.key] == "lần trước"
        else:
            assert out[f.key] == ""


def test_the_card_fills_the_birth_form_requester():
    form, _ = demo_forms()["1.001193"]
    out = eform.prefill(
        form,
        current={"requester_phone": "0909"},
        card=parse_cccd_qr(CARD),
        earlier={"mother_name": "Lê Thị B", "child_name": "X"},
    )
    assert out["requester_name"] == "Trần Thị Ánh Nguyệt" and out["requester_id_number"] == "087190001234"
    assert out["requester_birth_date"] == "15/03/1990" and out["requester_address"].startswith("Ấp 3")
    assert out["requester_phone"] == "0909"  # typed, kept
    assert out["mother_name"] == "Lê Thị B"  # re-used from the applicant's earlier declaration
    assert out["child_name"] == ""  # a new child is never copied from an earlier form
