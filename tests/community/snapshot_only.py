"""Make every search answered by the search snapshot, for tests that must prove it."""

from clusterbroker.community import search as search_package


def require_snapshot(monkeypatch) -> None:
    """Searches not answered by the snapshot fail; the database backend still answers
    saved-search alerts (requests with `since`)."""
    database = search_package._backend()

    class SnapshotOnly:
        @staticmethod
        def run(request, *args):
            assert request.since is not None, "the snapshot did not answer"
            return database.run(request, *args)

    monkeypatch.setattr(search_package, "_backend", SnapshotOnly)
