"""Where application attachments are kept: a private folder of the data directory.

Files are never served as static media: the application page links to a view that
checks who may read them.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class AttachmentStorage(FileSystemStorage):
    """`DATA_DIR/attachments`, read from the settings at each use (tests change it)."""

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.DATA_DIR / "attachments")

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def attachment_storage() -> FileSystemStorage:
    return AttachmentStorage()
