import pytest
from django.core.management import CommandError, call_command

from motcua.dossiers import services
from motcua.dossiers.history import verify_all
from motcua.dossiers.models import DossierEvent

from .support import at, receive, staffed_center, version

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossiers():
    s, v = staffed_center(), version()
    made = []
    for hour in ("08:00", "09:00", "10:00"):
        d = receive(s, v, when=at(f"2026-03-02 {hour}"))
        d = services.dossier_act(actor=s.desk, dossier=d, action="transfer", at=at(f"2026-03-02 {hour}"))
        d = services.dossier_act(actor=s.specialist, dossier=d, action="forward", at=at("2026-03-03 09:00"))
        made.append(d)
    return made


def test_an_untouched_history_verifies(dossiers, capsys):
    call_command("verify_history")
    assert list(verify_all()) == []
    assert "verify" in capsys.readouterr().out


@pytest.mark.parametrize(
    "tamper",
    [
        lambda e: DossierEvent.objects.filter(pk=e.pk).update(reason="sửa lén"),
        lambda e: DossierEvent.objects.filter(pk=e.pk).update(actor_name="x", payload={"step": 9}),
        lambda e: DossierEvent.objects.filter(pk=e.pk).update(at=e.at.replace(year=2025)),
        lambda e: DossierEvent.objects.filter(pk=e.pk).delete(),
    ],
    ids=["reason", "payload", "time", "deleted"],
)
def test_verify_history_names_the_altered_dossier_with_exit_status_1(dossiers, tamper, capsys):
    victim = dossiers[1]
    event = DossierEvent.objects.filter(dossier=victim).order_by("seq")[1]
    tamper(event)
    with pytest.raises(CommandError) as excinfo:
        call_command("verify_history")
    assert excinfo.value.returncode == 1
    err = capsys.readouterr().err
    assert victim.code in err
    assert dossiers[0].code not in err and dossiers[2].code not in err


def test_removing_the_last_event_is_detected(dossiers):
    victim = dossiers[2]
    DossierEvent.objects.filter(dossier=victim).order_by("-seq").first().delete()
    assert [p.code for p in verify_all()] == [victim.code]


def test_rehashing_a_forged_event_still_breaks_the_chain_after_it(dossiers):
    # a forger who recomputes the altered event's own hash still breaks the next link
    from motcua.dossiers import chain
    from motcua.dossiers.history import _content

    victim = dossiers[0]
    first = DossierEvent.objects.filter(dossier=victim).order_by("seq").first()
    first.reason = "giả mạo"
    first.hash = chain.event_hash(first.prev_hash, _content(first))
    first.save()
    [problem] = list(verify_all())
    assert problem.code == victim.code and problem.seq == 2


def test_a_state_that_differs_from_its_history_is_detected(dossiers):
    from motcua.dossiers.models import Dossier

    victim = dossiers[0]
    Dossier.objects.filter(pk=victim.pk).update(state="returned")  # set behind the history's back
    problems = list(verify_all())
    assert [(p.code, p.problem) for p in problems] == [(victim.code, "state differs from history")]
