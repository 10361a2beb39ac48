"""Small helpers every app's views share: form errors from a service, the year in a URL, an
Excel download."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse

from core.uploads import XLSX


def add_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: each message next to its field, the rest
    (and fields the form does not have) at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def valid_year(year: int) -> int:
    """The year of a URL, or 404 for one no bloc can have."""
    if not 2000 <= year <= 2100:
        raise Http404
    return year


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX.content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
