"""The packaged sentence model: texts are embedded when saved, and meaning is kept."""

import numpy as np
import pytest

from clusterbroker.brokering import embeddings, engine, services
from tests.factories import OrganisationFactory

from .factories import save_profile


@pytest.fixture
def real_model(real_model_encoder):
    previous = embeddings.use_encoder(real_model_encoder)
    yield real_model_encoder
    embeddings.use_encoder(previous)


def test_model_embeddings_are_normalised_and_meaningful(real_model):
    a, b, c = real_model.encode(
        [
            "predictive maintenance of machine tools",
            "forecasting failures of CNC machines",
            "organic bakery",
        ]
    )
    assert a.shape == (embeddings.DIMENSIONS,)
    assert np.isclose(np.linalg.norm(a), 1.0, atol=1e-4)
    assert float(a @ b) > float(a @ c) + 0.2


@pytest.mark.django_db
def test_texts_are_embedded_at_save_time_and_used_by_matching(world, real_model):
    provider = save_profile(
        world.admin,
        OrganisationFactory(name="Failure Forecasting Lab", kind="rto", country="DE"),
        offers=[services.OfferData("Anticipating breakdowns of CNC machine tools")],
    )
    save_profile(
        world.admin,
        OrganisationFactory(name="Bakery Co", kind="rto", country="DE"),
        offers=[services.OfferData("Organic sourdough bread")],
    )
    asker = save_profile(
        world.company_user,
        world.member_company,
        needs=[services.NeedData(kind="service", description="predictive maintenance")],
    )
    assert provider.vector() is not None and asker.needs.get().vector() is not None

    def fail(*args, **kwargs):
        raise AssertionError("no embedding inside a search")

    previous = embeddings.use_encoder(type("Failing", (), {"encode": fail})())
    try:
        results = engine.match_profile(asker, "providers")
    finally:
        embeddings.use_encoder(previous)
    # Relevance first: the bakery, far in meaning and sharing no term, is not listed at all.
    assert [r.label for r in results] == ["Failure Forecasting Lab"]
    assert results[0].signals["meaning"] >= 0.35
