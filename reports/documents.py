"""The year-end report's three files, from one YearEndData: PDF (to sign), XLSX (the tables)."""

import io

from openpyxl import Workbook

from core import admin_format, documents
from core.spreadsheets import write_table
from reports.selectors import YearEndData

PDF_TEMPLATE = "pdf/year_end_report.html"


def pdf_context(data: YearEndData, *, today, verification_code: str = "") -> dict:
    bloc_name = admin_format.upper(data.bloc_name)
    word = "cụm" if data.bloc_kind == "cum" else "khối"
    return {
        "doc_title": f"BÁO CÁO TỔNG KẾT CÔNG TÁC THI ĐUA, KHEN THƯỞNG NĂM {data.year}",
        "issuer_parent": bloc_name if data.chair else "",
        "issuer_name": admin_format.upper(data.chair or data.bloc_name),
        "reference": admin_format.reference_line(None, "BC"),
        "place_date": admin_format.place_date_line(
            admin_format.place_name(data.authority_name), today
        ),
        "data": data,
        "word": word,
        "recipients": [
            f"{data.council_name};",
            f"Các đơn vị thành viên {word.capitalize()};",
            "Lưu: VT.",
        ],
        "signer": admin_format.Signer(
            prefix=admin_format.ON_BEHALF, on_behalf_of=data.bloc_name, title=data.chair_word
        ),
        "verification_code": verification_code,
    }


def render_pdf(data: YearEndData, *, today, verification_code: str = "") -> bytes:
    return documents.render_pdf(
        PDF_TEMPLATE, pdf_context(data, today=today, verification_code=verification_code)
    )


def render_xlsx(data: YearEndData) -> bytes:
    book = Workbook()
    book.remove(book.active)
    write_table(
        book.create_sheet("Thành viên"),
        heading=f"Thành viên {data.bloc_name} năm {data.year}",
        headers=["STT", "Tên đơn vị", "Chức vụ"],
        rows=[[m.number, m.name, m.office] for m in data.members],
        widths=[6, 60, 16],
    )
    for table in data.tables:
        write_table(
            book.create_sheet(table["sheet"]),
            heading=table["title"],
            headers=table["headers"],
            rows=table["rows"],
            widths=table["widths"],
        )
    book.properties.title = f"Báo cáo tổng kết {data.bloc_name} năm {data.year}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
