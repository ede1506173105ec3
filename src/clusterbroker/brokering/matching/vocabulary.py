"""Technologies named in free text: a small controlled vocabulary with its synonyms.

A need says "help to introduce cobots in our welding line"; a hub's description says "our
robotics lab supports SMEs with collaborative robots". Word overlap (TF-IDF) sees little in
common and counts filler words ("support", "SMEs") as much as the technology; the sentence
model sees a general likeness. What the asker means is a technology, and a provider either
names it or does not. This vocabulary recognises the technologies of the I4MS and Digital
Industry Alliance areas in any text by their usual names (phrases matched at the start of a
word, so "robot" finds "robots" and "robotics"; acronyms matched as whole words, in capitals
where they would otherwise be ordinary words). The engine uses it to tell, among the
candidates offering a needed term, those whose texts also name the technology the need
names (`ranking.relevance_tiers`), and its reasons name the technology.

Plain data: no Django, no database; `concepts_in(text)` is all there is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import numpy as np
from scipy import sparse


def _(text: str) -> str:
    """Marks a label for translation; the caller's `translate` translates it when shown."""
    return text


@dataclass(frozen=True)
class Concept:
    key: str
    label: str
    # Lower-case phrases found at the start of a word ("robot" finds "robotics").
    phrases: tuple[str, ...]
    # Whole words, matched as written (case-sensitive): acronyms such as "AI" or "IoT".
    acronyms: tuple[str, ...] = ()


CONCEPTS: tuple[Concept, ...] = (
    Concept("robotics", _("robotics"), ("robot", "cobot", "collaborative robot")),
    Concept(
        "artificial-intelligence",
        _("artificial intelligence"),
        (
            "artificial intelligence",
            "machine learning",
            "deep learning",
            "neural network",
            "computer vision",
            "machine vision",
        ),
        ("AI",),
    ),
    Concept(
        "hpc",
        _("high-performance computing"),
        ("high performance computing", "high-performance computing", "supercomput"),
        ("HPC",),
    ),
    Concept(
        "cybersecurity",
        _("cybersecurity"),
        ("cybersecurity", "cyber security", "cyber-security", "information security"),
    ),
    Concept(
        "additive-manufacturing",
        _("additive manufacturing"),
        ("additive manufacturing", "3d print", "3d-print", "3-d print"),
    ),
    Concept(
        "iot",
        _("internet of things"),
        ("internet of things", "industrial internet"),
        ("IoT", "IIoT", "IOT", "IIOT"),
    ),
    Concept(
        "big-data",
        _("big data and analytics"),
        ("big data", "data analytics", "data science", "data-driven"),
    ),
    Concept("cloud", _("cloud computing"), ("cloud",)),
    Concept("blockchain", _("blockchain"), ("blockchain", "distributed ledger")),
    Concept("simulation", _("simulation and digital twins"), ("simulation", "digital twin")),
    Concept("photonics", _("photonics and lasers"), ("photonic", "laser", "optoelectronic")),
    Concept(
        "extended-reality",
        _("augmented and virtual reality"),
        ("augmented reality", "virtual reality", "mixed reality", "extended reality"),
        ("AR/VR", "VR/AR", "XR"),
    ),
    Concept("5g", _("5G and wireless networks"), ("wireless network",), ("5G",)),
    Concept("edge-computing", _("edge computing"), ("edge computing", "fog computing")),
    Concept(
        "cyber-physical",
        _("cyber-physical and embedded systems"),
        ("cyber-physical", "cyber physical", "embedded system"),
        ("CPS",),
    ),
    Concept("microelectronics", _("microelectronics"), ("microelectronic", "semiconductor")),
    Concept("sensors", _("sensors"), ("sensor",)),
    Concept("drones", _("drones"), ("drone", "unmanned aerial"), ("UAV", "UAS")),
    Concept(
        "hmi",
        _("human-machine interfaces"),
        ("human-machine interface", "human machine interface"),
        ("HMI",),
    ),
)
COLUMN = {c.key: i for i, c in enumerate(CONCEPTS)}


@cache
def _patterns() -> tuple[re.Pattern, ...]:
    patterns = []
    for concept in CONCEPTS:
        parts = [rf"(?i:\b{re.escape(p)})" for p in concept.phrases]
        parts += [rf"(?<![\w/]){re.escape(a)}(?![\w/])" for a in concept.acronyms]
        patterns.append(re.compile("|".join(parts)))
    return tuple(patterns)


def concepts_in(text: str) -> list[str]:
    """The keys of the technologies `text` names, in the vocabulary's order."""
    if not text:
        return []
    return [c.key for c, p in zip(CONCEPTS, _patterns(), strict=True) if p.search(text)]


def label(key: str) -> str:
    return CONCEPTS[COLUMN[key]].label


def concept_matrix(texts: Iterable[str]) -> sparse.csr_matrix:
    """Rows × technologies, 1 where the text names the technology."""
    indptr, indices = [0], []
    for text in texts:
        indices.extend(COLUMN[k] for k in concepts_in(text))
        indptr.append(len(indices))
    return sparse.csr_matrix(
        (np.ones(len(indices), dtype=np.float32), np.array(indices, dtype=np.int32), indptr),
        shape=(len(indptr) - 1, len(CONCEPTS)),
    )
