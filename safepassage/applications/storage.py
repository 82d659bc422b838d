"""Private storage for applicants' documents.

Files live under settings.PRIVATE_MEDIA_ROOT, outside anything the web server serves, and are
readable only by the service's own user. They have no URL: the only way to them is a view
that checks permission and then streams the file.
"""

from __future__ import annotations

import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

from safepassage.applications.uploads import CleanFile

FILE_MODE = 0o600
DIRECTORY_MODE = 0o700


class PrivateStorage(FileSystemStorage):
    """FileSystemStorage that will not make a link to a file."""

    def url(self, name: str | None) -> str:
        # A URL would bypass the permission check, and MEDIA_URL may well be served publicly.
        raise NotImplementedError("private files have no URL; use the permission-checked view")


def private_storage() -> PrivateStorage:
    # Built on each call, so the location follows settings (tests point it elsewhere).
    return PrivateStorage(
        location=settings.PRIVATE_MEDIA_ROOT,
        file_permissions_mode=FILE_MODE,
        directory_permissions_mode=DIRECTORY_MODE,
    )


def store_clean_file(clean: CleanFile) -> str:
    """Save a checked upload under a new random name, and return that name.

    The applicant's file name is never used: it may hold personal data, or be crafted to
    mislead. Two levels of directories keep any one directory small.
    """
    token = secrets.token_urlsafe(24)
    name = f"{token[:2]}/{token[2:4]}/{token}{clean.extension}"
    return private_storage().save(name, ContentFile(clean.content))


def open_stored(name: str) -> File[bytes]:
    """The stored file, open for reading in binary mode. The caller closes it."""
    path = PurePosixPath(name)
    # Names come from store_clean_file by way of the database; anything else is refused
    # before the file system is touched.
    if not name or "\\" in name or path.is_absolute() or ".." in path.parts:
        raise ValueError(f"not a stored file name: {name!r}")
    return private_storage().open(name, "rb")
