"""Background tasks of the community: rebuilding the search snapshot."""

from django_tasks import task

from .search import snapshot


@task()
def rebuild_search_snapshot() -> None:
    snapshot.build()
