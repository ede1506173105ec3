"""Repair text that was UTF-8 but got decoded as Windows-1252 ("â€™" → "’")."""

import re

# Characters a mis-decoded UTF-8 byte turns into under Windows-1252 (or Latin-1 for the
# five bytes Windows-1252 leaves undefined).
_SUSPECT = re.compile(
    "[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u2030"
    "\u2039\u203a\u20ac\u2122]{2,}"
)


def _byte(char: str) -> int | None:
    try:
        return char.encode("cp1252")[0]
    except UnicodeEncodeError:
        return ord(char) if ord(char) < 256 else None


def _sequence_length(lead: int) -> int:
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0


def _repair_run(run: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(run):
        lead = _byte(run[i])
        length = _sequence_length(lead) if lead is not None else 0
        if length and i + length <= len(run):
            chunk = [_byte(c) for c in run[i : i + length]]
            if None not in chunk and all(0x80 <= b <= 0xBF for b in chunk[1:]):
                try:
                    out.append(bytes(chunk).decode("utf-8"))
                    i += length
                    continue
                except UnicodeDecodeError:
                    pass
        out.append(run[i])
        i += 1
    return "".join(out)


def repair(text: str) -> str:
    """`text` with every mis-decoded UTF-8 sequence put back; other text is left alone."""
    if not text:
        return text
    repaired = _SUSPECT.sub(lambda m: _repair_run(m.group(0)), text)
    # Zero-width spaces and non-breaking spaces the repair uncovers are noise in search.
    return repaired.replace("\u200b", "").replace("\u00a0", " ")
