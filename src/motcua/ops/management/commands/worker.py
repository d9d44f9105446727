"""`motcua worker`: the background task worker (tasks, heartbeat, scheduled jobs) that survives
database restarts. `motcua serve` starts one; run more on other machines for more throughput."""

from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from motcua.ops.worker import ResilientWorker


class Command(DbWorkerCommand):
    help = (
        "Run background tasks, the worker heartbeat and the scheduled jobs (draft purge, orphan file "
        "sweep); waits and retries while the database is unreachable."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--no-schedule", action="store_false", dest="schedule_jobs")
        parser.set_defaults(queue_name="*", reload=False)

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        max_tasks,
        worker_id,
        exclude_queues,
        schedule_jobs,
        **options,
    ):
        self.configure_logging(verbosity)
        worker = ResilientWorker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id or get_random_string(32),
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [],
            schedule_jobs=schedule_jobs,
        )
        worker.configure_signals()
        worker.run()
