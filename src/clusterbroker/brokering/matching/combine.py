"""How the signals are combined into one score: a weighted sum with tunable weights.

Every signal is scaled to [0, 1] (see `signals.py`), so a weight says how many
points a perfect value of that signal is worth. The defaults were tuned on the
benchmark of real Horizon 2020 consortia (`bench/recommend.py`) for the network
signals and by hand on the sample data for the content signals; change them per
call with `rank(..., weights=Weights(track=2.0))`, or for a deployment with the
`BROKERING_WEIGHTS` setting (a mapping of these names to numbers).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np


@dataclass(frozen=True)
class Weights:
    words: float = 2.0  # TF-IDF cosine between the query text and the candidate's texts
    meaning: float = 2.5  # sentence-embedding cosine between the same
    coverage: float = 5.0  # share of the needed taxonomy terms the candidate offers
    complement: float = (
        1.0  # candidate brings terms complementary to the need (ICT ↔ manufacturing)
    )
    geography: float = 0.5  # cross-border, or the same country / region when that is asked for
    track: float = 3.0  # worked with the asker before (count and recency of joint projects)
    track_in_field: float = 3.0  # … in the query's field (programme part)
    partners_of_partners: float = 1.0  # worked with the asker's partners
    partnership: float = 0.5  # member of the same partnership
    field: float = 1.5  # activity in the query's field (programme part)
    popularity: float = 0.5  # overall activity
    time: float = 0.5  # available inside the need's time window

    @classmethod
    def from_mapping(cls, values: dict[str, float] | None) -> Weights:
        if not values:
            return cls()
        known = {f.name for f in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"unknown weight(s): {', '.join(sorted(unknown))}")
        return cls(**{k: float(v) for k, v in values.items()})


DEFAULT_WEIGHTS = Weights()


def combine(signals: dict[str, np.ndarray], weights: Weights) -> np.ndarray:
    """The score of each candidate: Σ weight × signal."""
    total = None
    for name, values in signals.items():
        part = getattr(weights, name) * values
        total = part if total is None else total + part
    return total
