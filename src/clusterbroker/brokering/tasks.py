"""Background tasks of brokering: building the engine's index once for every process."""

from django_tasks import task


@task()
def rebuild_brokering_index() -> None:
    from . import engine

    engine.persist_index()
