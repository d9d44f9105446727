"""What is owed: the pure fee rules (property tests) and the amounts frozen on a dossier."""

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from motcua.catalog.models import Fee
from motcua.catalog.rules import FeeRule, fee_amount
from motcua.core.errors import PermissionDenied, ValidationFailed
from motcua.dossiers.models import DossierEvent
from motcua.payments import fees, selectors, services
from motcua.payments.models import Charge, FeeSetting
from tests.payments import support

kinds = st.sampled_from(["fixed", "per_page", "free"])
channels = st.sampled_from(["", "counter", "post", "online_full"])


@st.composite
def rows(draw):
    n = draw(st.integers(0, 5))
    out = []
    for position in range(1, n + 1):
        rule = FeeRule(
            kind=draw(kinds),
            amount=draw(st.integers(0, 500_000)),
            pages_at_first_rate=draw(st.none() | st.integers(0, 5)),
            later_page_amount=draw(st.none() | st.integers(0, 5000)),
            cap=draw(st.none() | st.integers(0, 1_000_000)),
            channel=draw(channels),
        )
        item = draw(st.sampled_from(list(fees.Item)))
        out.append(fees.FeeRow(position, f"row {position}", rule, item))
    return out


intake = st.sampled_from(["counter", "online", "post", "kiosk"])


@given(rows=rows(), channel=intake, pages=st.integers(0, 300), copies=st.integers(0, 10))
def test_amounts_are_whole_vnd_and_phi_le_phi_add_up(rows, channel, pages, copies):
    lines = fees.assess(rows, channel=channel, pages=pages, copies=copies)
    for line in lines:
        assert isinstance(line.amount, int) and line.amount >= 0
    t = fees.totals(lines)
    assert isinstance(t.fee, int) and isinstance(t.charge, int)
    assert t.fee == sum(line.amount for line in lines if line.item == fees.Item.FEE)
    assert t.charge == sum(line.amount for line in lines if line.item == fees.Item.CHARGE)
    assert t.total == t.fee + t.charge


@given(rows=rows(), channel=intake)
def test_a_channel_pays_its_own_rows_else_the_general_ones(rows, channel):
    lines = fees.assess(rows, channel=channel)
    own = [r for r in rows if r.channel == fees.FEE_CHANNEL[channel]]
    expected = own or [r for r in rows if not r.channel]
    assert [line.position for line in lines] == sorted(r.position for r in expected)
    # and each amount is the catalog's own rule (one rule, one place)
    by_pos = {r.position: r for r in rows}
    assert all(line.amount == fee_amount(by_pos[line.position].rule) for line in lines)


@given(rows=rows(), channel=intake, data=st.data())
def test_exemptions_only_lower_what_is_owed(rows, channel, data):
    lines = fees.assess(rows, channel=channel)
    chosen = (
        data.draw(st.lists(st.sampled_from([line.position for line in lines]), unique=True)) if lines else []
    )
    after = fees.exempt(lines, chosen)
    assert fees.totals(after).total == sum(line.amount for line in lines if line.position not in chosen)
    assert [line.amount for line in after] == [line.amount for line in lines]  # kept for the record
    assert fees.totals(fees.exempt(lines)).total == 0


@given(pages=st.integers(1, 500))
def test_per_page_copy_fee_is_capped(pages):
    rule = FeeRule(kind="per_page", amount=2000, pages_at_first_rate=2, later_page_amount=1000, cap=200000)
    row = fees.FeeRow(1, "Phí chứng thực bản sao", rule, fees.Item.FEE)
    (line,) = fees.assess([row], channel="counter", pages=pages, copies=2)
    assert line.amount == 2 * min(2000 * min(pages, 2) + 1000 * max(pages - 2, 0), 200000)


def test_set_by_province_is_unpriced_until_entered():
    row = fees.FeeRow(1, "Lệ phí cấp giấy phép", FeeRule(kind="set_by_province"), fees.Item.CHARGE)
    t = fees.totals(fees.assess([row], channel="counter"))
    assert t.unpriced == 1 and t.total == 0


@pytest.mark.parametrize(
    "name, item",
    [("Lệ phí đăng ký thường trú", "2"), ("LỆ PHÍ", "2"), ("Phí chứng thực", "1"), ("Le phi", "1")],
)
def test_item_from_name(name, item):
    assert fees.item_from_name(name) == item


# -- on dossiers -----------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_counter_dossier_owes_the_counter_rate_with_items_apart():
    staffed = support.staffed_center()
    dossier = support.receive(staffed, support.priced_version())
    balance = selectors.dossier_balance(dossier)
    assert (balance.totals.charge, balance.totals.fee, balance.owed) == (20000, 5000, 25000)
    assert balance.status == "unpaid"


@pytest.mark.django_db
def test_online_dossier_owes_the_online_rate():
    staffed = support.staffed_center()
    dossier = support.submit_online(staffed, support.priced_version())
    balance = selectors.dossier_balance(dossier)
    assert [line.amount for line in balance.lines] == [10000]
    assert balance.owed == 10000


@pytest.mark.django_db
def test_a_fee_payable_at_the_return_is_not_due_on_receipt():
    staffed = support.staffed_center()
    version = support.priced_version()
    FeeSetting.objects.create(fee=version.fees.get(position=3), payable_at="return")
    dossier = support.receive(staffed, version)
    assert selectors.dossier_balance(dossier).owed == 20000
    dossier.state = "result_ready"
    assert selectors.dossier_balance(dossier).owed == 25000


@pytest.mark.django_db
def test_exemption_needs_a_desk_officer_and_a_legal_reason_and_is_in_the_history():
    staffed = support.staffed_center()
    dossier = support.receive(staffed, support.priced_version())
    with pytest.raises(ValidationFailed):
        services.charge_exempt(actor=staffed.desk, dossier=dossier, reason="  ")
    with pytest.raises(PermissionDenied):
        services.charge_exempt(actor=staffed.specialist, dossier=dossier, reason="Điều 4 TT 85/2019")
    services.charge_exempt(
        actor=staffed.desk,
        dossier=dossier,
        reason="Người có công, Điều 4 Thông tư 85/2019/TT-BTC",
        positions=[1],
    )
    assert selectors.dossier_balance(dossier).owed == 5000
    charge = Charge.objects.get(dossier=dossier, position=1)
    assert charge.amount == 20000 and charge.exempt and charge.exempted_by == staffed.desk
    event = DossierEvent.objects.filter(dossier=dossier).order_by("-seq").first()
    assert event.action == "fee_exempted" and "Người có công" in event.reason


@pytest.mark.django_db
def test_assessment_is_frozen():
    staffed = support.staffed_center()
    version = support.priced_version()
    dossier = support.receive(staffed, version)
    version.fees.filter(position=1).update(amount=99999)
    services.charges_assess(dossier=dossier)
    assert selectors.dossier_balance(dossier).owed == 25000


@pytest.mark.django_db
def test_a_certified_copy_owes_for_the_pages_and_copies_counted_at_intake():
    """DOMAIN: 2,000 VND a page, 1,000 from page 3, at most 200,000 a copy; each copy pays."""
    from tests.dossiers import support as dossier_support

    staffed = support.staffed_center()
    version = dossier_support.version(name="Chứng thực bản sao từ bản chính")
    Fee.objects.create(
        version=version,
        position=1,
        name="Phí chứng thực bản sao",
        kind="per_page",
        amount=2000,
        pages_at_first_rate=2,
        later_page_amount=1000,
        cap=200000,
    )
    dossier = support.receive(staffed, version, pages=10, copies=3)
    assert list(Charge.objects.filter(dossier=dossier).values_list("amount", flat=True)) == [36000]
    assert (dossier.fee_pages, dossier.fee_copies) == (10, 3)
    intake = DossierEvent.objects.get(dossier=dossier, action="intake")
    assert (intake.payload["pages"], intake.payload["copies"]) == (10, 3)
    long_one = support.receive(staffed, version, pages=400)
    assert list(Charge.objects.filter(dossier=long_one).values_list("amount", flat=True)) == [200000]
    before = Charge.objects.count()
    for bad in ({"pages": 0}, {"copies": 0}, {"pages": 10_001}, {"copies": True}):
        with translation.override("vi"), pytest.raises(ValidationFailed) as err:
            support.receive(staffed, version, **bad)
        assert err.value.field == next(iter(bad))
        assert "là số nguyên từ 1 đến" in err.value.message
    assert Charge.objects.count() == before
