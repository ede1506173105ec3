"""The text a PDF of ReportLab draws, read back for tests: the strings of each page's
content stream (ASCII85 and deflate undone), with the escapes of the standard fonts undone
(letters beyond ASCII are octal codes in their encoding, cp1252). Text set in an embedded
font (DejaVu) is glyph numbers and does not read back."""

import base64
import re
import zlib


def pdf_strings(content: bytes) -> list[list[str]]:
    """The strings drawn, per page (per content stream), in order."""
    assert content.startswith(b"%PDF")
    pages = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", content, flags=re.S):
        data = stream.strip()
        if data.endswith(b"~>"):  # ASCII85, then deflate
            data = base64.a85decode(data[:-2])
        try:
            chunk = zlib.decompress(data).decode("latin-1")
        except zlib.error:
            continue  # an image or a font, not text
        strings = re.findall(r"\(((?:\\.|[^\\)])*)\)\s*Tj", chunk)
        pages.append([_unescape(text) for text in strings])
    return pages


def pdf_pages(content: bytes) -> list[str]:
    """The text drawn on each page."""
    return [" ".join(strings) for strings in pdf_strings(content)]


def _unescape(text: str) -> str:
    def one(match: re.Match) -> str:
        code = match.group(1)
        return bytes([int(code, 8)]).decode("cp1252", "replace") if code[0].isdigit() else code

    return re.sub(r"\\([0-7]{1,3}|.)", one, text)
