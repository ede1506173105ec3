"""Background tasks of events: scheduling runs outside the web request.

With the default backend (immediate, for one-process installations) a task runs
when it is enqueued; in production a worker process (`clusterbroker db_worker`)
takes it from the database queue (see docs/deploy.md).
"""

from django_tasks import task

from .scheduling import execute_run


@task()
def run_scheduling_task(run_id: int) -> None:
    execute_run(run_id)
