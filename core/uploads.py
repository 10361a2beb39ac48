"""Uploaded files (evidence, signed scans, attachments): checked by content, stored privately.

- A file's type is decided by its bytes, never by its name or the browser's Content-Type: an
  executable renamed ``.pdf`` is refused, so is a file that is two things at once (a PDF or an image
  with a ZIP archive or an HTML/script payload inside: a polyglot).
- Office files (DOCX, XLSX) are ZIP archives: the total unpacked size and the compression ratio are
  read from the central directory before anything is decompressed, so a zip bomb is refused
  without being opened.
- Files are stored under MEDIA_ROOT (outside the static root) with a random name; the original
  name is kept in the database only. They are served by ``file_response`` from a view that has
  already checked access, always as an attachment with ``nosniff``.

The Vietnamese messages name the field's problem in words an officer understands.
"""

import io
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200  # text-heavy office files reach ~20; bombs reach thousands
MAX_ZIP_MEMBERS = 5000


@dataclass(frozen=True)
class FileKind:
    code: str
    label: object  # lazy Vietnamese label
    extension: str
    content_type: str


PDF = FileKind("pdf", gettext_lazy("PDF"), "pdf", "application/pdf")
PNG = FileKind("png", gettext_lazy("ảnh PNG"), "png", "image/png")
JPEG = FileKind("jpeg", gettext_lazy("ảnh JPEG"), "jpg", "image/jpeg")
DOCX = FileKind(
    "docx",
    gettext_lazy("Word (.docx)"),
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
XLSX = FileKind(
    "xlsx",
    gettext_lazy("Excel (.xlsx)"),
    "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
KINDS = {kind.code: kind for kind in (PDF, PNG, JPEG, DOCX, XLSX)}

# What each use accepts.
SCAN_KINDS = ("pdf", "png", "jpeg")  # signed and stamped paper, scanned or photographed
EVIDENCE_KINDS = ("pdf", "png", "jpeg", "docx", "xlsx")

_EXECUTABLE_MAGIC = (
    b"MZ",  # Windows PE
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",  # Mach-O
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",  # a script
)
# Markers of an active payload hidden inside a document or image.
_ACTIVE_MARKERS = (b"<script", b"<html", b"<svg", b"<?php", b"<iframe", b"javascript:")
_ZIP_LOCAL_HEADER = b"PK\x03\x04"


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(_ZIP_LOCAL_HEADER):
        return "zip"
    return None


def _office_kind(data: bytes) -> str:
    """docx or xlsx, after checking the archive is not a bomb; ValidationError otherwise."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise ValidationError(_("Tệp nén bị hỏng, không đọc được."), code="corrupt") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise ValidationError(_("Tệp chứa quá nhiều thành phần."), code="zip_bomb")
        unpacked = sum(member.file_size for member in members)
        packed = max(1, sum(member.compress_size for member in members))
        if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_COMPRESSION_RATIO:
            raise ValidationError(
                _("Tệp giải nén ra quá lớn so với kích thước của nó; tệp không được nhận."),
                code="zip_bomb",
            )
        names = {member.filename for member in members}
        if "[Content_Types].xml" not in names:
            raise ValidationError(
                _("Đây là tệp nén, không phải tệp Word hay Excel."), code="not_office"
            )
        if any(name.startswith("word/") for name in names):
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                raise ValidationError(
                    _("Tệp có macro; hãy lưu lại dưới dạng .docx không macro."), code="macro"
                )
            return "docx"
        if any(name.startswith("xl/") for name in names):
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                raise ValidationError(
                    _("Tệp có macro; hãy lưu lại dưới dạng .xlsx không macro."), code="macro"
                )
            return "xlsx"
    raise ValidationError(_("Tệp Office này không phải Word hay Excel."), code="not_office")


def _looks_polyglot(kind: str, data: bytes) -> bool:
    """A PDF or an image that also carries an archive or an active payload."""
    lowered = data[:65536].lower() + data[-65536:].lower()
    if kind in ("png", "jpeg") and any(marker in lowered for marker in _ACTIVE_MARKERS):
        return True
    if kind == "pdf" and (b"<script" in lowered or b"<html" in lowered):
        return True
    # An archive after the first bytes: ZIP readers look from the end, so a JPEG+ZIP opens as both.
    return _ZIP_LOCAL_HEADER in data[4:] and b"PK\x05\x06" in data[-65558:]


def kinds_label(allowed) -> str:
    return ", ".join(str(KINDS[code].label) for code in allowed)


def check_upload(uploaded, *, allowed=EVIDENCE_KINDS, max_bytes: int | None = None) -> FileKind:
    """The kind of an uploaded file, decided by its content; ValidationError (Vietnamese) if refused.

    ``uploaded`` is a Django UploadedFile (or any file object with ``size`` and ``read``). Its
    position is left at the start.
    """
    limit = max_bytes or getattr(settings, "UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)
    size = getattr(uploaded, "size", None)
    if size is None:
        uploaded.seek(0, io.SEEK_END)
        size = uploaded.tell()
    if size == 0:
        raise ValidationError(_("Tệp rỗng."), code="empty")
    if size > limit:
        raise ValidationError(
            _("Tệp nặng {size} MB, vượt giới hạn {limit} MB.").format(
                size=f"{size / 2**20:.1f}".replace(".", ","), limit=limit // 2**20
            ),
            code="too_large",
        )
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    if data.startswith(_EXECUTABLE_MAGIC):
        raise ValidationError(
            _("Tệp là chương trình chạy được, không phải tài liệu; tệp không được nhận."),
            code="executable",
        )
    sniffed = _sniff(data[:16])
    if sniffed is None:
        raise ValidationError(
            _("Không nhận ra loại tệp. Chỉ nhận: {kinds}.").format(kinds=kinds_label(allowed)),
            code="unknown_type",
        )
    if sniffed == "zip":
        sniffed = _office_kind(data)
    elif _looks_polyglot(sniffed, data):
        raise ValidationError(
            _(
                "Tệp chứa nội dung lạ bên trong (vừa là tài liệu vừa là tệp khác); tệp không được nhận."
            ),
            code="polyglot",
        )
    if sniffed not in allowed:
        raise ValidationError(
            _("Loại tệp {kind} không được nhận ở đây. Chỉ nhận: {kinds}.").format(
                kind=KINDS[sniffed].label, kinds=kinds_label(allowed)
            ),
            code="wrong_type",
        )
    return KINDS[sniffed]


@deconstructible
class PrivateUploadTo:
    """``upload_to`` for private files: ``<prefix>/<yyyy>/<random>.<ext>``; the real name stays in
    the database. A class, not a closure, so migrations can serialise it."""

    def __init__(self, prefix: str):
        self.prefix = prefix

    def __call__(self, instance, filename):
        from django.utils import timezone

        extension = PurePath(filename).suffix.lower().lstrip(".")[:8] or "bin"
        return f"{self.prefix}/{timezone.now():%Y}/{secrets.token_urlsafe(18)}.{extension}"

    def __eq__(self, other):
        return isinstance(other, PrivateUploadTo) and other.prefix == self.prefix

    def __hash__(self):
        return hash(self.prefix)


def file_response(field_file, *, filename: str, content_type: str | None = None, inline=False):
    """Serve a stored file after the caller has checked access: never guessed, never sniffed."""
    response = FileResponse(
        field_file.open("rb"),
        as_attachment=not inline,
        filename=filename,
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
