"""Background tasks (decision 0110): which backend the settings choose, and that a queued task
waits harmlessly with no worker and runs when a worker of either backend takes it."""

import os
import secrets

import django_rq
import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.tasks import TaskResultStatus, default_task_backend, task_backends
from django.test import override_settings
from django_tasks_db.models import DBTaskResult
from django_tasks_rq import Job, RQBackend
from rq import SimpleWorker

from tests.commands import run_manage
from tests.tasks import remember

BACKEND = "from django.conf import settings; print(settings.TASKS['default']['BACKEND'])"


@pytest.mark.parametrize(
    ("env", "backend"),
    [
        ({"REDIS_URL": ""}, "django_tasks_db.DatabaseBackend"),
        ({"REDIS_URL": "redis://127.0.0.1:6379/0"}, "django_tasks_rq.RQBackend"),
        (
            {"REDIS_URL": "redis://127.0.0.1:6379/0", "DJANGO_TASKS_BACKEND": "database"},
            "django_tasks_db.DatabaseBackend",
        ),
        (
            {"REDIS_URL": "", "DJANGO_TASKS_BACKEND": "immediate"},
            "django.tasks.backends.immediate.ImmediateBackend",
        ),
    ],
)
def test_the_database_backend_by_default_and_rq_with_redis(env, backend):
    result = run_manage("shell", "--no-imports", "-c", BACKEND, env={"DJANGO_DEBUG": "1", **env})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == backend


def test_rq_without_a_redis_server_is_refused():
    result = run_manage(
        "check", env={"DJANGO_DEBUG": "1", "DJANGO_TASKS_BACKEND": "rq", "REDIS_URL": ""}
    )
    assert result.returncode != 0
    assert "needs a Redis server" in result.stderr


def test_an_unknown_backend_is_refused():
    result = run_manage("check", env={"DJANGO_DEBUG": "1", "DJANGO_TASKS_BACKEND": "celery"})
    assert result.returncode != 0
    assert "DJANGO_TASKS_BACKEND='celery'" in result.stderr


def test_the_tests_run_on_the_database_backend_with_no_worker():
    assert settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


@pytest.mark.django_db(transaction=True)
def test_a_task_waits_in_the_database_until_a_worker_runs_it():
    key = f"task-{secrets.token_hex(4)}"
    result = remember.enqueue(key, "done")
    assert result.status == TaskResultStatus.READY
    assert cache.get(key) is None
    assert DBTaskResult.objects.filter(id=result.id).exists()

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "done"
    assert cache.get(key) == "done"
    assert default_task_backend.get_result(result.id).status == TaskResultStatus.SUCCESSFUL


def test_a_task_goes_through_rq_on_redis():
    """Enqueued in Redis by django-tasks-rq, run by an RQ worker with its job class."""
    # A queue of this test's own on the suite's Redis (or the local one): nothing else takes it.
    queue = f"test-{secrets.token_hex(6)}"
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    database_backend = task_backends["default"]
    with override_settings(RQ_QUEUES={"default": {"URL": url}, queue: {"URL": url}}):
        backend = task_backends["default"] = RQBackend(alias="default", params={"QUEUES": [queue]})
        rq_queue = django_rq.get_queue(queue, job_class=Job)
        try:
            key = f"task-{secrets.token_hex(4)}"
            result = remember.using(queue_name=queue).enqueue(key, "rq")
            assert rq_queue.count == 1
            assert cache.get(key) is None
            SimpleWorker([rq_queue], connection=rq_queue.connection, job_class=Job).work(burst=True)
            assert backend.get_result(result.id).status == TaskResultStatus.SUCCESSFUL
            assert cache.get(key) == "rq"
        finally:
            task_backends["default"] = database_backend
            rq_queue.empty()
            rq_queue.delete(delete_jobs=True)
