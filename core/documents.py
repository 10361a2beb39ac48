"""PDF documents: a Django template rendered by WeasyPrint, in the bundled font, offline.

- The stylesheet (static/css/pdf.css) declares the bundled Liberation Serif under a family name used
  nowhere else ("thiduea Serif"), so a missing font file can never silently become a system font;
  the layout tests check that every embedded font is "thiduea-Serif…" with a LiberationSerif
  program inside (a system Liberation Serif would be embedded as "LiberationSerif").
- WeasyPrint may read only files of the project's static files: ``StaticOnlyFetcher`` refuses
  http(s), data: and any file outside them, and a refusal stops the render (a document is frozen
  with its SHA-256 and must never depend on what the network or the disk said that day).
- Documents are Vietnamese administrative texts (Nghị định 30/2020/NĐ-CP): they render in
  Vietnamese whatever the reader's interface language, and the HTML is NFC-normalised before
  layout (decomposed Vietnamese renders badly).
- The parsed stylesheet, its font configuration and the fetcher are built once per thread and
  reused: that takes a one-page list from ~140 ms to ~80 ms warm (benchmarks/pdf_render.py).
"""

import atexit
import hashlib
import logging
import shutil
import threading
import unicodedata
import weakref
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

from core.admin_format import NATIONAL_MOTTO, NATIONAL_NAME

STYLESHEET = "css/pdf.css"
DOCUMENT_LANGUAGE = "vi"

# WeasyPrint logs every rendering step at INFO; keep that out of the server's log unless the
# settings' LOGGING asked for this logger explicitly.
if logging.getLogger("weasyprint.progress").level == logging.NOTSET:
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


class RefusedURL(ValueError):
    """A document asked for something other than a file of the project's static files."""


def static_dir() -> Path:
    """The static directory the stylesheet lives in; relative URLs in documents resolve there."""
    found = finders.find(STYLESHEET)
    if not found:
        raise RefusedURL(f"{STYLESHEET} is not among the static files")
    return Path(found).resolve().parents[len(Path(STYLESHEET).parts) - 1]


def static_path_for(url: str) -> Path:
    """The static file a ``file://`` URL names, or RefusedURL. Symlinks and ".." cannot escape."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        raise RefusedURL(f"Documents may only use the project's static files, not {url!r}")
    path = Path(url2pathname(unquote(parts.path))).resolve()
    try:
        relative = path.relative_to(static_dir())
    except ValueError:
        raise RefusedURL(f"{url!r} is outside the static files") from None
    # Ask the static files finders, so only a file they would serve is read.
    found = finders.find(relative.as_posix())
    if not found or Path(found).resolve() != path or not path.is_file():
        raise RefusedURL(f"{url!r} is not a static file")
    return path


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """WeasyPrint's fetcher, reduced to the project's static files; a refusal is fatal."""

        def __init__(self):
            super().__init__(allowed_protocols=("file",), fail_on_errors=True)

        def fetch(self, url, headers=None):
            path = static_path_for(url)
            return URLFetcherResponse(path.as_uri(), body=path.read_bytes())

    return StaticOnlyFetcher


_local = threading.local()


def url_fetcher():
    """This thread's fetcher. Building one costs ~70 ms (urllib loads the CA certificates for its
    HTTPS handler, never used here); its fetch() keeps no state, so one per thread is reused."""
    fetcher = getattr(_local, "fetcher", None)
    if fetcher is None:
        fetcher = _local.fetcher = _fetcher_class()()
    return fetcher


_font_configs = weakref.WeakSet()


@atexit.register
def _remove_font_folders():
    """Remove the cached configurations' font copies while the interpreter can still do it.

    (FontConfiguration cleans up in __del__, which at interpreter exit runs too late.)
    """
    for font_config in list(_font_configs):
        shutil.rmtree(font_config._folder or "", ignore_errors=True)
        font_config._folder = None


def _stylesheet():
    """The parsed pdf.css and its FontConfiguration, built once per thread.

    Fontconfig and Pango objects are not shared across threads (gunicorn runs several), and a
    FontConfiguration must be the one its CSS was parsed with.
    """
    cached = getattr(_local, "stylesheet", None)
    if cached is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        font_config = FontConfiguration()
        _font_configs.add(font_config)
        path = static_dir() / STYLESHEET
        css = CSS(
            string=path.read_text(encoding="utf-8"),
            base_url=path.as_uri(),
            url_fetcher=url_fetcher(),
            font_config=font_config,
        )
        cached = _local.stylesheet = (css, font_config)
    return cached


def clear_cache() -> None:
    """Forget this thread's parsed stylesheet and fonts (tests; after editing pdf.css)."""
    _local.__dict__.pop("stylesheet", None)


def render_html(template_name: str, context: dict) -> str:
    """The document's HTML, in Vietnamese, NFC; pdf/base.html gets the national header."""
    context = {"national_name": NATIONAL_NAME, "national_motto": NATIONAL_MOTTO, **context}
    with translation.override(DOCUMENT_LANGUAGE):
        html = render_to_string(template_name, context)
    return unicodedata.normalize("NFC", html)


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a template of templates/pdf/ to PDF bytes."""
    return render_pdf_pages(template_name, context)[0]


def render_pdf_pages(template_name: str, context: dict) -> tuple[bytes, int]:
    """The PDF bytes and the number of pages."""
    from weasyprint import HTML

    html = render_html(template_name, context)
    css, font_config = _stylesheet()
    document = HTML(
        string=html,
        base_url=static_dir().as_uri() + "/",
        url_fetcher=url_fetcher(),
    ).render(stylesheets=[css], font_config=font_config)
    return document.write_pdf(), len(document.pages)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def freeze(
    *,
    kind: str,
    title: str,
    content: bytes,
    filename: str,
    content_type: str = "application/pdf",
    issuer: str = "",
    actor=None,
    verification_code: str | None = None,
):
    """Store a delivered document with its SHA-256 (core.FrozenDocument); never overwrites.

    Pass ``verification_code`` when the code was printed on the document before it was rendered
    (``new_verification_code()``); otherwise one is drawn.
    """
    from django.core.files.base import ContentFile

    from core.models import FrozenDocument, _verification_code

    document = FrozenDocument(
        kind=kind,
        title=title,
        filename=filename,
        content_type=content_type,
        size=len(content),
        sha256=sha256_hex(content),
        issuer=issuer,
        created_by=actor,
        verification_code=verification_code or _verification_code(),
    )
    document.file.save(filename, ContentFile(content), save=False)
    document.save()
    return document


def new_verification_code() -> str:
    """A fresh code to print in a document's footer before rendering it, then pass to freeze()."""
    from core.models import _verification_code

    return _verification_code()
