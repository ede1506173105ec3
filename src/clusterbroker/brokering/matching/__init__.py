"""The matching engine: plain data in, ranked candidates with reasons out.

Nothing here imports Django: the index is built from plain records (see
`index.CandidateRecord`), a query is a `query.MatchQuery`, and `rank` returns
`Match` values. Pages, the API, the CLI and the benchmark all call `rank`.
"""

from .combine import DEFAULT_WEIGHTS, Weights
from .index import CandidateIndex, CandidateRecord, build_index
from .query import MatchQuery
from .ranking import Match, rank

__all__ = [
    "DEFAULT_WEIGHTS",
    "CandidateIndex",
    "CandidateRecord",
    "Match",
    "MatchQuery",
    "Weights",
    "build_index",
    "rank",
]
