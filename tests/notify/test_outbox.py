"""The outbox: written with its cause, delivered by the drain with retries, backoff, the breaker,
dead letters and order per key; retried and cancelled by an operator."""

import pytest
from django.db import transaction

from motcua.core.errors import Conflict, PermissionDenied
from motcua.notify import delivery, services, tasks
from motcua.notify.models import DestinationBreaker, OutboxMessage, Status
from motcua.units.models import Role
from tests import factories
from tests.notify.support import T0, minutes, subscription, webhook_message

pytestmark = pytest.mark.django_db


@pytest.fixture
def sub(provider):
    return subscription(factories.center(), provider.url + "/hook")


def test_a_rolled_back_transaction_leaves_no_message_and_starts_no_drain(
    sub, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                webhook_message(sub, 1)
                raise RuntimeError("the cause failed")
    assert not OutboxMessage.objects.exists()
    assert callbacks == []


def test_a_committed_message_starts_one_drain_task(sub, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            webhook_message(sub, 1)
            webhook_message(sub, 2)
    assert [c for c in callbacks if c is tasks.kick] == [tasks.kick]
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(task_path=tasks.drain_outbox.module_path).count() == 1


def test_the_same_key_twice_is_one_message(sub):
    first = webhook_message(sub, 1)
    again = webhook_message(sub, 1)
    assert first.pk == again.pk and OutboxMessage.objects.count() == 1


def test_drain_delivers_due_messages_with_their_idempotency_key(sub, provider):
    message = webhook_message(sub, 1)
    stats = delivery.drain(now=T0)
    assert stats.delivered == 1
    message.refresh_from_db()
    assert message.status == Status.DELIVERED and message.attempts == 1 and message.delivered_at == T0
    assert provider.requests[0]["headers"]["idempotency-key"] == message.key


def test_a_failure_is_retried_after_backoff_then_delivered(sub, provider):
    provider.fail_next = 1
    message = webhook_message(sub, 1)
    delivery.drain(now=T0)
    message.refresh_from_db()
    assert message.status == Status.PENDING and message.attempts == 1
    assert T0 + minutes(0.25) <= message.next_attempt_at <= T0 + minutes(0.5)
    assert delivery.drain(now=T0 + minutes(0.2)).delivered == 0  # not due yet
    assert delivery.drain(now=T0 + minutes(1)).delivered == 1


def test_dead_letter_after_the_configured_attempts(sub, provider, settings):
    settings.MOTCUA_NOTIFY = {"MAX_ATTEMPTS": 3, "BREAKER_THRESHOLD": 100}
    provider.down = True
    message = webhook_message(sub, 1)
    now = T0
    for _ in range(5):
        delivery.drain(now=now)
        now += minutes(60)
    message.refresh_from_db()
    assert message.status == Status.DEAD and message.attempts == 3
    assert "503" in message.last_error
    assert len(provider.requests) == 3


def test_a_permanent_refusal_goes_to_the_dead_letters_at_once(sub, provider):
    provider.fail_next, provider.fail_status = 1, 400
    message = webhook_message(sub, 1)
    delivery.drain(now=T0)
    message.refresh_from_db()
    assert message.status == Status.DEAD and message.attempts == 1


def test_the_breaker_opens_and_rests_without_spending_attempts(sub, provider, settings):
    settings.MOTCUA_NOTIFY = {"BREAKER_THRESHOLD": 3, "BREAKER_COOLDOWN": 60}
    provider.down = True
    for n in range(10):
        webhook_message(sub, n)
    stats = delivery.drain(now=T0)
    assert len(provider.requests) == 3  # then the breaker opened: the other 7 wait unsent
    assert stats.deferred == 7
    breaker = DestinationBreaker.objects.get(destination=f"webhook:{sub.pk}")
    assert breaker.state == "open" and breaker.open_until == T0 + minutes(1)
    assert sum(OutboxMessage.objects.values_list("attempts", flat=True)) == 3
    delivery.drain(now=T0 + minutes(0.5))
    assert len(provider.requests) == 3  # still resting
    provider.down = False
    stats = delivery.drain(now=T0 + minutes(61))
    assert stats.delivered == 10
    assert DestinationBreaker.objects.get(destination=f"webhook:{sub.pk}").state == "closed"


def test_failures_between_successes_never_open_the_breaker(sub, provider, settings):
    """Only failures in a row count: a flaky receiver that answers in between stays in use."""
    settings.MOTCUA_NOTIFY = {"BREAKER_THRESHOLD": 3, "BREAKER_COOLDOWN": 60}
    for n in range(4):
        provider.fail_next = 1
        webhook_message(sub, 2 * n)
        delivery.drain(now=T0)  # fails: retried later
        webhook_message(sub, 2 * n + 1)
        assert delivery.drain(now=T0).delivered == 1
    breaker = DestinationBreaker.objects.get(destination=f"webhook:{sub.pk}")
    assert breaker.state == "closed" and breaker.failures == 0
    assert delivery.drain(now=T0 + minutes(60)).delivered == 4


def test_a_failed_probe_reopens_the_breaker_for_longer(sub, provider, settings):
    settings.MOTCUA_NOTIFY = {"BREAKER_THRESHOLD": 1, "BREAKER_COOLDOWN": 60}
    provider.down = True
    for n in range(3):
        webhook_message(sub, n)
    delivery.drain(now=T0)
    delivery.drain(now=T0 + minutes(1))  # one probe, fails
    assert len(provider.requests) == 2
    breaker = DestinationBreaker.objects.get(destination=f"webhook:{sub.pk}")
    assert breaker.state == "open" and breaker.open_until == T0 + minutes(3)
    # the probe spent no attempt, and it waits behind the others so the next probe is another one
    assert sorted(OutboxMessage.objects.values_list("attempts", flat=True)) == [0, 0, 1]
    delivery.drain(now=T0 + minutes(3))
    probes = [r["json"]["n"] for r in provider.requests]
    assert len(probes) == 3 and len(set(probes[1:])) == 2


def test_messages_of_one_order_key_go_one_after_the_other(sub, provider):
    first = webhook_message(sub, 1, order_key="d1")
    webhook_message(sub, 2, order_key="d1")
    other = webhook_message(sub, 3, order_key="d2")
    provider.fail_next = 1  # the first of d1 fails
    delivery.drain(now=T0)
    sent = [r["json"]["n"] for r in provider.requests]
    assert sent == [1, 3]  # 2 waited behind 1; d2 went its own way
    first.refresh_from_db()
    other.refresh_from_db()
    assert first.status == Status.PENDING and other.status == Status.DELIVERED
    delivery.drain(now=T0 + minutes(5))
    assert [r["json"]["n"] for r in provider.requests] == [1, 3, 1, 2]


def test_a_dead_message_holds_back_the_rest_of_its_order_until_cancelled(sub, provider, settings):
    settings.MOTCUA_NOTIFY = {"MAX_ATTEMPTS": 1}
    provider.fail_next = 1
    first = webhook_message(sub, 1, order_key="d1")
    webhook_message(sub, 2, order_key="d1")
    delivery.drain(now=T0)
    first.refresh_from_db()
    assert first.status == Status.DEAD
    delivery.drain(now=T0 + minutes(1))
    assert len(provider.requests) == 1
    services.message_cancel(actor=factories.user(is_superuser=True), message=first)
    delivery.drain(now=T0 + minutes(2))
    assert [r["json"]["n"] for r in provider.requests] == [1, 2]


def test_a_message_whose_worker_died_is_claimed_again_after_its_lease(sub, provider):
    message = webhook_message(sub, 1)
    taken, _ = delivery.claim(now=T0, limit=10, lease=120)  # the worker dies right after this
    assert [m.pk for m in taken] == [message.pk]
    assert delivery.drain(now=T0 + minutes(1)).delivered == 0  # leased
    assert delivery.drain(now=T0 + minutes(3)).delivered == 1


def test_operator_retries_a_dead_message_and_cancels_another(sub, provider, settings):
    settings.MOTCUA_NOTIFY = {"MAX_ATTEMPTS": 1}
    provider.down = True
    dead = webhook_message(sub, 1)
    waiting = webhook_message(sub, 2)
    delivery.drain(now=T0)
    dead.refresh_from_db()
    assert dead.status == Status.DEAD
    leader = factories.user(Role.LEADER, center_obj=sub.center)
    services.message_retry(actor=leader, message=dead, at=T0 + minutes(1))
    services.message_cancel(actor=leader, message=OutboxMessage.objects.get(pk=waiting.pk))
    provider.down = False
    delivery.drain(now=T0 + minutes(2))
    assert OutboxMessage.objects.get(pk=dead.pk).status == Status.DELIVERED
    assert OutboxMessage.objects.get(pk=waiting.pk).status == Status.CANCELLED
    with pytest.raises(Conflict):
        services.message_retry(actor=leader, message=dead)


def test_only_leaders_and_administrators_of_the_unit_may_retry(sub):
    message = webhook_message(sub, 1)
    with pytest.raises(PermissionDenied):
        services.message_retry(
            actor=factories.user(Role.DESK_OFFICER, center_obj=sub.center), message=message
        )
    with pytest.raises(PermissionDenied):
        services.message_cancel(actor=factories.user(Role.LEADER), message=message)  # another center


def test_the_drain_task_delivers_and_schedules_a_sweep_for_retries(sub, provider):
    provider.fail_next = 1
    webhook_message(sub, 1)
    result = tasks.drain_outbox.call()
    assert result["failed"] == 1
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(task_path=tasks.drain_outbox.module_path, status="READY").exists()
