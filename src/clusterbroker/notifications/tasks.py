"""Background tasks of the notifications: sending the outbox and the daily digests.

With the default backend (immediate) a task runs when it is enqueued; in production a
worker (`clusterbroker db_worker`) takes it from the database queue (see docs/deploy.md).
"""

from django_tasks import task

from . import delivery


@task()
def send_email_task(email_id: int) -> str:
    return str(delivery.send_one(email_id))


@task()
def send_outbox_task() -> dict:
    return delivery.send_due()


@task()
def send_digests_task() -> int:
    return delivery.send_digests()
