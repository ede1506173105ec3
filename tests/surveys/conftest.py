import pytest

from .factories import build_scene


@pytest.fixture
def scene(db):
    return build_scene()
