"""Partnership logos: small PNG or JPEG images kept in the data directory.

A logo is shown on the partnership's page and on the cover of its funder report. Uploads
are checked by decoding them (Pillow), not by their name: only PNG and JPEG up to
`MOST_BYTES` and `MOST_PIXELS` are kept; SVG (which can carry scripts) is refused. Logos
are served by a view with the type of the decoded image, never as browsable media.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from clusterbroker.web.storage import DataDirStorage

MOST_BYTES = 1024 * 1024
MOST_PIXELS = 4000 * 4000
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}


def logo_storage() -> FileSystemStorage:
    """`DATA_DIR/logos`."""
    return DataDirStorage("logos")


def image_format(file) -> str | None:
    """ "PNG" or "JPEG" when `file` decodes as one of them, else None."""
    from PIL import Image, UnidentifiedImageError

    try:
        file.seek(0)
        with Image.open(file) as image:
            image.verify()
            kind = image.format
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return None
    finally:
        file.seek(0)
    return kind if kind in FORMATS else None


def check_logo(file: UploadedFile) -> None:
    """Refuse a logo that is too large or not a PNG or JPEG image (read, not named)."""
    if file.size > MOST_BYTES:
        raise ValidationError(
            _("The logo is %(size)s KB; at most %(most)s KB.")
            % {"size": file.size // 1024, "most": MOST_BYTES // 1024}
        )
    from PIL import Image

    if image_format(file) is None:
        raise ValidationError(_("The logo must be a PNG or JPEG image."))
    with Image.open(file) as image:
        if image.width * image.height > MOST_PIXELS:
            raise ValidationError(_("The logo is too large: at most 4000 × 4000 pixels."))
    file.seek(0)
