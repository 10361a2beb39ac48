"""Uploads are judged by their bytes: real documents pass, disguised and oversized ones do not."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from core import documents, uploads

PDF_BYTES = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x11" * 64 + b"\xff\xd9"


def upload(name, content):
    return SimpleUploadedFile(name, content)


def docx_bytes():
    out = io.BytesIO()
    document = Document()
    document.add_paragraph("Báo cáo thành tích năm 2022")
    document.save(out)
    return out.getvalue()


def xlsx_bytes():
    out = io.BytesIO()
    book = Workbook()
    book.active.append(["Tiêu chí", "Điểm"])
    book.save(out)
    return out.getvalue()


def code_of(error: ValidationError) -> str:
    return error.error_list[0].code


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("bien-ban.pdf", PDF_BYTES, "pdf"),
        ("anh.png", PNG_BYTES, "png"),
        ("anh.jpg", JPEG_BYTES, "jpeg"),
        ("bao-cao.docx", docx_bytes(), "docx"),
        ("bang-diem.xlsx", xlsx_bytes(), "xlsx"),
    ],
)
def test_real_documents_are_recognised_by_their_content(name, content, kind):
    assert uploads.check_upload(upload(name, content)).code == kind


def test_the_name_does_not_decide_the_type():
    # A real PDF named .jpg is a PDF; the stored name comes from the detected kind.
    assert uploads.check_upload(upload("anh.jpg", PDF_BYTES)).code == "pdf"


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"MZ\x90\x00" + b"\x00" * 200, "executable"),  # a Windows program renamed .pdf
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "executable"),
        (b"#!/bin/sh\nrm -rf /\n", "executable"),
        (b"<html><script>alert(1)</script></html>", "unknown_type"),
        (b"", "empty"),
    ],
)
def test_disguised_files_are_refused_with_a_reason(content, code):
    with pytest.raises(ValidationError) as error:
        uploads.check_upload(upload("minh-chung.pdf", content))
    assert code_of(error.value) == code


def test_an_image_that_is_also_a_zip_archive_is_refused():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("payload.js", "alert(1)")
    with pytest.raises(ValidationError) as error:
        uploads.check_upload(upload("anh.jpg", JPEG_BYTES + archive.getvalue()))
    assert code_of(error.value) == "polyglot"


def test_an_image_carrying_a_script_is_refused():
    with pytest.raises(ValidationError) as error:
        uploads.check_upload(upload("anh.png", PNG_BYTES + b"<script>alert(1)</script>"))
    assert code_of(error.value) == "polyglot"


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"0" * (50 * 2**20))  # 50 MB of zeros, ~50 kB packed
    with pytest.raises(ValidationError) as error:
        uploads.check_upload(upload("bao-cao.docx", archive.getvalue()))
    assert code_of(error.value) == "zip_bomb"


def test_a_plain_zip_is_not_an_office_file():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("a.txt", "xin chào")
    with pytest.raises(ValidationError) as error:
        uploads.check_upload(upload("bao-cao.docx", archive.getvalue()))
    assert code_of(error.value) == "not_office"


def test_an_oversized_file_names_its_size_and_the_limit():
    with pytest.raises(ValidationError) as error:
        uploads.check_upload(upload("scan.pdf", PDF_BYTES + b"0" * 2**20), max_bytes=2**20)
    assert code_of(error.value) == "too_large"
    assert "1 MB" in error.value.messages[0]


def test_a_kind_not_allowed_here_is_named():
    with pytest.raises(ValidationError) as error:
        uploads.check_upload(upload("bang.xlsx", xlsx_bytes()), allowed=uploads.SCAN_KINDS)
    assert code_of(error.value) == "wrong_type"
    assert "PDF" in error.value.messages[0]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=4096))
def test_any_bytes_are_either_a_known_kind_or_a_validation_error(content):
    try:
        kind = uploads.check_upload(upload("x.pdf", content))
    except ValidationError as error:
        assert error.messages and all(message for message in error.messages)
    else:
        assert kind.code in uploads.KINDS


def test_stored_names_are_random_and_keep_only_the_extension():
    upload_to = uploads.PrivateUploadTo("evidence")
    first = upload_to(None, "Báo cáo ../../etc/passwd.PDF")
    second = upload_to(None, "Báo cáo ../../etc/passwd.PDF")
    assert first != second
    assert first.startswith("evidence/") and first.endswith(".pdf") and ".." not in first
    assert upload_to.deconstruct() == ("core.uploads.PrivateUploadTo", ("evidence",), {})


def test_a_frozen_document_keeps_its_hash_and_answers_to_its_code(db, client):
    frozen = documents.freeze(
        kind="test",
        title="Bản giao ước thi đua năm 2021",
        content=PDF_BYTES,
        filename="giao-uoc-2021.pdf",
        issuer="Khối thi đua các cơ quan của Đảng",
    )
    assert frozen.sha256 == documents.sha256_hex(PDF_BYTES)
    assert frozen.file.read() == PDF_BYTES
    assert len(frozen.verification_code) == 10

    typed = frozen.verification_code.lower()[:5] + "-" + frozen.verification_code.lower()[5:]
    body = client.get("/verify/", {"code": typed}).content.decode()
    assert "Mã hợp lệ" in body and frozen.sha256 in body and "Bản giao ước thi đua" in body

    same = client.post(
        "/verify/", {"code": frozen.verification_code, "file": upload("a.pdf", PDF_BYTES)}
    )
    assert "trùng khớp" in same.content.decode()
    other = client.post(
        "/verify/", {"code": frozen.verification_code, "file": upload("a.pdf", PDF_BYTES + b" ")}
    )
    assert "KHÁC bản đã chốt" in other.content.decode()
    assert "Không tìm thấy" in client.get("/verify/", {"code": "0000000000"}).content.decode()


def test_the_verification_page_never_serves_the_document(db, client):
    frozen = documents.freeze(kind="test", title="T", content=PDF_BYTES, filename="t.pdf")
    response = client.get("/verify/", {"code": frozen.verification_code})
    assert response["Content-Type"].startswith("text/html")
    assert PDF_BYTES not in response.content
