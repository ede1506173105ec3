"""Fixtures shared by the registry's tests."""

from pathlib import Path

import pytest

from clusterbroker.importers.nuts import import_nuts
from clusterbroker.registry.models import Region

NUTS = Path(__file__).resolve().parents[3] / "shared/data/nuts2021"


@pytest.fixture
def regions(db):
    """The NUTS 2021 regions of the public data set beside the project, imported."""
    if not all((NUTS / name).exists() for name in ("nutspt_3.json", "nutsrg_60M_0.json")):
        pytest.skip("the NUTS 2021 data set is not beside the project")
    import_nuts(NUTS)
    return Region.objects
