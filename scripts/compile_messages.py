"""Compile the translation catalogues (`locale/*/LC_MESSAGES/*.po`) into the `.mo` files
Django reads, with polib (no system gettext needed).

    .venv/bin/python scripts/compile_messages.py [FILE.po ...]   # default: every catalogue
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[1] / "src" / "clusterbroker" / "locale"


def compile_catalogue(po_path: Path) -> Path:
    mo_path = po_path.with_suffix(".mo")
    polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
    return mo_path


def main(paths: list[str]) -> None:
    catalogues = [Path(p) for p in paths] or sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))
    for po_path in catalogues:
        compile_catalogue(po_path)
    print(f"{len(catalogues)} catalogue(s) compiled")


if __name__ == "__main__":
    main(sys.argv[1:])
