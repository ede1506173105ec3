"""Files kept in a folder of the data directory, never served as static media (a view
that checks who may read them serves each)."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class DataDirStorage(FileSystemStorage):
    """`DATA_DIR/<folder>`, read from the settings at each use (tests change it)."""

    def __init__(self, folder: str, **kwargs) -> None:
        self.folder = folder
        super().__init__(**kwargs)

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.DATA_DIR / self.folder)

    @property
    def location(self):
        return os.path.abspath(self.base_location)
