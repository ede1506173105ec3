"""Where application attachments are kept: a private folder of the data directory.

Files are never served as static media: the application page links to a view that
checks who may read them.
"""

from django.core.files.storage import FileSystemStorage

from clusterbroker.web.storage import DataDirStorage


def attachment_storage() -> FileSystemStorage:
    return DataDirStorage("attachments")
