"""/healthz, /readyz, /metrics and the JSON request log."""

import io
import json
import logging
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from motcua.ops.logs import JsonFormatter
from motcua.ops.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def beat(seconds_ago: float = 0) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id="w1",
        defaults={"host": "h", "pid": 1, "started_at": now, "seen_at": now - timedelta(seconds=seconds_ago)},
    )


def test_healthz_answers_without_touching_anything(django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        response = Client().get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_needs_a_worker_that_beat_recently():
    client = Client()
    # no worker ever started
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "worker": "no worker has started"}
    # a worker that stopped beating two minutes ago
    beat(120)
    assert client.get("/readyz").status_code == 503
    # a live worker
    beat(1)
    response = client.get("/readyz")
    assert response.status_code == 200 and response.json()["status"] == "ok"


def test_metrics_count_requests_and_show_the_task_queue():
    client = Client(REMOTE_ADDR="127.0.0.1")
    client.get("/thu-tuc/")
    body = client.get("/metrics").content.decode()
    assert 'motcua_http_requests_total{method="GET",status="200",view="portal:procedure_list"}' in body
    assert "motcua_http_request_duration_seconds_bucket" in body
    assert "motcua_tasks_oldest_ready_seconds 0.0" in body
    assert "motcua_worker_heartbeat_age_seconds -1.0" in body


def test_metrics_are_closed_to_other_machines_and_to_requests_through_a_proxy(settings):
    assert Client(REMOTE_ADDR="10.0.0.8").get("/metrics").status_code == 403
    assert Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4").get("/metrics").status_code == 403
    settings.MOTCUA_METRICS_TOKEN = "s3cret-token"
    client = Client(REMOTE_ADDR="10.0.0.8")
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token").status_code == 200


@pytest.fixture
def request_log():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("motcua.request")
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)


def test_each_request_is_one_json_line_with_its_id_user_and_units(request_log):
    from tests.dossiers.support import staffed_center

    s = staffed_center()
    s.specialist.set_password("pw-12345-test")
    s.specialist.save()
    client = Client()
    client.force_login(s.specialist)
    response = client.get("/viec/", HTTP_X_REQUEST_ID="abc-123")
    assert response.status_code == 200 and response["X-Request-ID"] == "abc-123"
    lines = [json.loads(line) for line in request_log.getvalue().splitlines()]
    entry = lines[-1]
    assert entry["level"] == "INFO" and entry["message"] == "request"
    assert entry["request_id"] == "abc-123" and entry["status"] == 200 and entry["path"] == "/viec/"
    assert entry["user"] == s.specialist.username and entry["units"] == [s.center.pk]
    assert entry["duration_ms"] >= 0


def test_an_anonymous_request_gets_a_fresh_id_and_no_user(request_log):
    response = Client().get("/thu-tuc/", HTTP_X_REQUEST_ID="bad id with spaces")
    entry = json.loads(request_log.getvalue().splitlines()[-1])
    assert entry["request_id"] == response["X-Request-ID"] != "bad id with spaces"
    assert entry["user"] is None and len(entry["request_id"]) == 32


def test_the_settings_log_requests_at_info_as_json():
    logger = logging.getLogger("motcua.request")
    assert logger.isEnabledFor(logging.INFO)
    assert any(isinstance(h.formatter, JsonFormatter) for h in logger.handlers)


def test_metrics_show_the_outbox_backlog():
    from tests import factories
    from tests.notify.support import subscription, webhook_message

    center = factories.center()
    sub = subscription(center, "http://127.0.0.1:9/hook")
    webhook_message(sub, 1, at=timezone.now() - timedelta(minutes=10))
    webhook_message(sub, 2, at=timezone.now())
    body = Client(REMOTE_ADDR="127.0.0.1").get("/metrics").content.decode()
    assert 'motcua_outbox_messages{status="pending"} 2.0' in body
    assert 'motcua_outbox_messages{status="dead"} 0.0' in body
    oldest = float(body.split("\nmotcua_outbox_oldest_pending_seconds ", 1)[1].split()[0])
    assert 600 <= oldest < 700
