"""What a ranking is asked for: one profile or one need, as plain data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np


@dataclass
class MatchQuery:
    """A profile or a single need looking for partners, providers or calls.

    - `terms`: taxonomy terms needed; `text`: the need (or profile) in words, and
      its stored `embedding`; `language`: the language `text` is written in ("" when
      unknown: read as English);
    - `country`/`region` of the asker; `cross_border` values other countries and
      regions, `local` values the same region (then country); with neither, the
      same country is valued;
    - `anchors`: organisations whose track record counts (the asker itself, its
      known partners); `partnerships` the asker belongs to;
    - `field`: the programme part or field the collaboration is for;
    - `window`: (from, until) as day ordinals, when the answer is needed;
    - `kinds`: candidate types allowed (empty: all); `exclude`: keys never returned;
    - `relevance`: relevance first. Only candidates that offer what is asked (a needed or
      complementary term, or a text close enough to the need) are returned, in tiers
      (needed terms first, then complementary terms or text); network, geography and
      activity only order the candidates inside a tier (with `local`, the same region,
      then the same country, come first inside a tier);
    - `known_partners`: "include" (default), "exclude" (organisations that worked with
      an anchor before are left out) or "only" (just those: "you already work with");
    - `viewpoint`: whose point of view the reasons take (`reasons.VIEWPOINTS`): "asker"
      (default: a candidate "offers what you need"), "call" (a call "covers what you
      need") or "need" (the asker offers what the need's owner needs).
    """

    terms: Iterable[int] = ()
    text: str = ""
    embedding: np.ndarray | None = None
    country: str = ""
    region: str = ""
    cross_border: bool = True
    local: bool = False
    anchors: Iterable[int] = ()
    partnerships: Iterable[int] = ()
    field: str = ""
    window: tuple[int | None, int | None] = (None, None)
    kinds: Iterable[str] = ()
    exclude: Iterable[int] = ()
    relevance: bool = False
    known_partners: str = "include"
    viewpoint: str = "asker"
    language: str = ""
