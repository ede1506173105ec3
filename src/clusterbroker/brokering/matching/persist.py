"""The candidate index on disk, read memory-mapped by every process.

`save` writes one generation directory: every numeric array (and each part of every
sparse matrix) as its own `.npy` file, everything else (names, dictionaries, the fitted
TF-IDF vectorizer) in one pickle. `load` maps the arrays read-only (`numpy.load(...,
mmap_mode="r")`): the web processes of a machine share the same pages of the operating
system's cache instead of each holding its own copy. The directory is written under a
temporary name (one per writing process) and renamed when complete, so a reader never sees
half of it.
"""

from __future__ import annotations

import os
import pickle
import shutil
from dataclasses import fields
from pathlib import Path

import numpy as np
from scipy import sparse

from .index import CandidateIndex

SPARSE_PARTS = ("data", "indices", "indptr")


def _is_array(value) -> bool:
    return isinstance(value, np.ndarray) and value.dtype != object


def save(index: CandidateIndex, directory: Path) -> Path:
    """Write `index` to `directory` (replaced if it exists); returns it."""
    directory = Path(directory)
    partial = directory.with_name(f"{directory.name}.{os.getpid()}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    rest: dict[str, object] = {}
    shapes: dict[str, tuple[str, tuple[int, int]]] = {}
    for f in fields(index):
        value = getattr(index, f.name)
        if _is_array(value):
            np.save(partial / f"{f.name}.npy", value)
        elif sparse.issparse(value) and value.format in ("csr", "csc"):
            for part in SPARSE_PARTS:
                np.save(partial / f"{f.name}.{part}.npy", getattr(value, part))
            shapes[f.name] = (value.format, value.shape)
        else:
            rest[f.name] = value
    with (partial / "rest.pickle").open("wb") as handle:
        pickle.dump({"rest": rest, "sparse": shapes}, handle, protocol=pickle.HIGHEST_PROTOCOL)
    shutil.rmtree(directory, ignore_errors=True)
    partial.rename(directory)
    return directory


def load(directory: Path) -> CandidateIndex:
    """The index saved in `directory`, its arrays memory-mapped read-only."""
    directory = Path(directory)
    with (directory / "rest.pickle").open("rb") as handle:
        stored = pickle.load(handle)  # noqa: S301 - our own file, written by `save`
    values: dict[str, object] = dict(stored["rest"])
    for name, (fmt, shape) in stored["sparse"].items():
        data, indices, indptr = (
            np.load(directory / f"{name}.{part}.npy", mmap_mode="r") for part in SPARSE_PARTS
        )
        kind = sparse.csr_matrix if fmt == "csr" else sparse.csc_matrix
        values[name] = kind((data, indices, indptr), shape=shape, copy=False)
    for f in fields(CandidateIndex):
        if f.name not in values and (directory / f"{f.name}.npy").exists():
            values[f.name] = np.load(directory / f"{f.name}.npy", mmap_mode="r")
    return CandidateIndex(**values)
