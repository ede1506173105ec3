"""One index for all processes: built by the task queue, read memory-mapped."""

import mmap

import numpy as np
import pytest

from clusterbroker.brokering import engine
from clusterbroker.brokering.matching import persist
from clusterbroker.registry.models import Competence
from tests.factories import OrganisationFactory

from .test_matching_pages import market  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def mapped(array) -> bool:
    """The array's memory is the file's mapping (not a copy in the process)."""
    while array is not None:
        if isinstance(array, np.memmap | mmap.mmap):
            return True
        array = getattr(array, "base", None)
    return False


@pytest.fixture(autouse=True)
def forget_cache():
    engine._cache.clear()
    yield
    engine._cache.clear()


def test_save_and_load_give_the_same_ranking(market, tmp_path):  # noqa: F811
    built = engine.build_registry_index()
    needs = list(market["profile"].needs.all())
    for partners in ("new", "known", "all"):
        query = engine.query_for_needs(market["profile"], needs, "partners", partners)
        expected = [(m.key, m.reasons, m.tier) for m in engine.rank(built, query)]
        loaded = persist.load(persist.save(built, tmp_path / "generation"))
        assert [(m.key, m.reasons, m.tier) for m in engine.rank(loaded, query)] == expected


def test_the_index_is_persisted_by_the_task_and_read_memory_mapped(market, settings, tmp_path):  # noqa: F811
    settings.BROKERING_INDEX_DIR = str(tmp_path)
    in_memory = [r.label for r in engine.match_profile(market["profile"], "partners")]
    generation = (tmp_path / "CURRENT").read_text()
    assert (tmp_path / generation / "rest.pickle").exists()
    index = engine.current_index()
    assert mapped(index.keys) and mapped(index.terms.indices) and mapped(index.network.data)
    assert [r.label for r in engine.match_profile(market["profile"], "partners")] == in_memory

    # The data change: the task builds a new generation, which every process then reads.
    newcomer = OrganisationFactory(name="New Factory Hub", kind="dih", country="IT")
    Competence.objects.create(organisation=newcomer, term=market["dih"].competences.get().term)
    assert "New Factory Hub" in [
        r.label for r in engine.match_profile(market["profile"], "partners")
    ]
    assert (tmp_path / "CURRENT").read_text() != generation
    assert (tmp_path / generation).exists()  # the previous one is kept for its readers


def test_the_command_builds_the_generation_and_tells_whether_it_is_current(market, tmp_path):  # noqa: F811
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("brokering-index", "status", stdout=out)
    assert "No brokering index" in out.getvalue()
    call_command("brokering-index", "build", stdout=out)
    generation = (engine.index_directory() / "CURRENT").read_text()
    assert (engine.index_directory() / generation / "rest.pickle").exists()
    out = StringIO()
    call_command("brokering-index", "status", stdout=out)
    assert f"{generation} " in out.getvalue() and "current." in out.getvalue()
    OrganisationFactory(name="Changed since")
    out = StringIO()
    call_command("brokering-index", "status", stdout=out)
    assert "a rebuild is due" in out.getvalue()


def test_descriptions_are_embedded_once_for_every_rebuild(market, monkeypatch):  # noqa: F811
    from clusterbroker.brokering import embeddings

    OrganisationFactory(name="Described Hub", kind="dih", description="Cobot pilots for SMEs.")
    embedded: list[str] = []
    original = embeddings.embed

    def counting(texts):
        embedded.extend(texts)
        return original(texts)

    monkeypatch.setattr(embeddings, "embed", counting)
    engine._descriptions.clear()
    engine.persist_index()
    assert "Cobot pilots for SMEs." in embedded
    # Another process (nothing in memory) rebuilds after a change: the vectors kept beside
    # the index serve, only the new description is embedded.
    engine._descriptions.clear()
    embedded.clear()
    OrganisationFactory(name="Second Hub", kind="dih", description="Laser cutting lab.")
    engine.persist_index()
    assert embedded == ["Laser cutting lab."]
