import pytest

from clusterbroker.brokering import embeddings


@pytest.fixture(autouse=True)
def hashing_encoder():
    """Unit tests embed with the model-free encoder; the real model has its own tests."""
    previous = embeddings.use_encoder(embeddings.HashingEncoder())
    yield
    embeddings.use_encoder(previous)


@pytest.fixture(scope="session")
def real_model_encoder():
    """The packaged sentence model, loaded once for the whole session (a few seconds)."""
    encoder = embeddings.ModelEncoder()
    encoder.encode(["warm up"])
    return encoder
