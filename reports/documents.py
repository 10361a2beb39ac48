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


# The Word twin: the same data, written with core.docx for offices that edit before signing. -----


def _docx_pledge_targets(doc, part, number: int) -> None:
    from core import docx as w

    w.heading(doc, f"{number}. Kết quả thực hiện các chỉ tiêu giao ước thi đua")
    for number, target in enumerate(part["targets"], start=1):
        level = f" (mức giao ước: {target['level']})" if target["level"] else ""
        unknown = (
            f", {target['unknown_count']} đơn vị chưa có số liệu" if target["unknown_count"] else ""
        )
        w.paragraph(
            doc,
            f"{number}. {target['text']}{level}: {target['met_count']}/{target['total']} đơn vị "
            f"đạt{unknown}.",
        )
        w.table(
            doc,
            ["STT", "Đơn vị", "Kết quả", "Đánh giá"],
            [
                [
                    str(index),
                    row["unit"],
                    row["achieved"] or "—",
                    {True: "Đạt", False: "Không đạt", None: "Chưa có số liệu"}[row["met"]],
                ]
                for index, row in enumerate(target["rows"], start=1)
            ],
            [12, 86, 34, 33],
        )


def _docx_movements(doc, part, number: int) -> None:
    from core import docx as w

    w.heading(doc, f"{number}. Các phong trào thi đua")
    for m in part["movements"]:
        dates = ""
        if m["starts_on"]:
            dates += f"; từ {m['starts_on']:%d/%m/%Y}"
        if m["ends_on"]:
            dates += f" đến {m['ends_on']:%d/%m/%Y}"
        description = f": {m['description']}" if m["description"] else ""
        w.paragraph(
            doc,
            f"- {m['name']} ({m['kind'].lower()}; phát động: {m['launched_by']}{dates}){description}.",
        )


def _docx_commendations(doc, part, number: int) -> None:
    from core import docx as w

    w.heading(doc, f"{number}. Công tác khen thưởng")
    w.paragraph(doc, "Trong năm, các đơn vị thành viên được khen thưởng:")
    for r in part["records"]:
        w.paragraph(
            doc,
            f"- {r['unit']}: {r['award']} (thành tích năm {r['year']}; {r['decision']} của "
            f"{r['issuing_body']}).",
        )


def _docx_ballot(doc, part, number: int) -> None:
    from core import docx as w

    w.heading(doc, f"Kết quả bình xét, bỏ phiếu kín ngày {part['held_on']:%d/%m/%Y}")
    w.paragraph(
        doc,
        f"{part['mode']}; {part['present']}/{part['members']} đơn vị tham gia; {part['valid']} "
        f"phiếu hợp lệ. Điều kiện được đề nghị: {part['threshold'].lower()}.",
    )
    for number, item in enumerate(part["items"], start=1):
        w.paragraph(doc, f"{number}. {item['award']} (đề nghị {item['max_choices']} đơn vị):")
        w.table(
            doc,
            ["STT", "Đơn vị", "Phiếu đồng ý (tỷ lệ)", "Kết quả"],
            [
                [
                    str(index),
                    c["name"],
                    f"{c['total']} ({c['percent'].replace('.', ',')}%)",
                    "Được đề nghị" if c["selected"] else "",
                ]
                for index, c in enumerate(item["candidates"], start=1)
            ],
            [12, 86, 40, 27],
        )


def _docx_ranking(doc, part, number: int) -> None:
    from core import docx as w

    w.heading(doc, f"{number}. Kết quả chấm điểm, xếp hạng")
    w.paragraph(
        doc,
        f"Theo bảng tiêu chí chấm điểm (phiên bản {part['version']}), kết quả thẩm định và xếp "
        "hạng như sau:",
    )
    w.table(
        doc,
        ["Hạng", "Đơn vị", "Tổng điểm", "Ghi chú"],
        [[str(r["rank"]), r["unit"], r["total"], r["note"]] for r in part["rows"]],
        [14, 96, 25, 30],
    )
    for line in part["left_out"]:
        w.paragraph(doc, f"- {line}")


def _docx_proposal(doc, part, number: int) -> None:
    from core import docx as w

    w.heading(doc, "Đề nghị khen thưởng")
    reference = f" ({part['reference']})" if part["reference"] else ""
    decision = f"; {part['decision']}" if part["decision"] else ""
    w.paragraph(
        doc, f"Khối đề nghị khen thưởng{reference}; tình trạng: {part['state'].lower()}{decision}."
    )
    for group in part["groups"]:
        units = "; ".join(
            line["unit"] + (f" ({line['outcome'].lower()})" if line["outcome"] else "")
            for line in group["lines"]
        )
        w.paragraph(doc, f"- {group['award']}: {units}.")


DOCX_PARTS = {
    "pdf/report_parts/proposal.html": _docx_proposal,
    "pdf/report_parts/ranking.html": _docx_ranking,
    "pdf/report_parts/pledge_targets.html": _docx_pledge_targets,
    "pdf/report_parts/movements.html": _docx_movements,
    "pdf/report_parts/commendations.html": _docx_commendations,
    "pdf/report_parts/ballot.html": _docx_ballot,
}


def render_docx(data: YearEndData, *, today) -> bytes:
    from core import docx as w

    context = pdf_context(data, today=today)
    doc = w.new_document()
    w.header_table(
        doc,
        issuer_name=context["issuer_name"],
        issuer_parent=context["issuer_parent"],
        reference=context["reference"],
        place_date=context["place_date"],
    )
    w.title(
        doc,
        "BÁO CÁO",
        f"Tổng kết công tác thi đua, khen thưởng năm {data.year} của {data.bloc_name}",
    )
    w.heading(doc, "I. TÌNH HÌNH CHUNG")
    offices = ""
    if data.chair:
        offices = f"; {data.chair} là {data.chair_word}"
        if data.vice_chair:
            offices += f", {data.vice_chair} là {data.vice_chair_word}"
    w.paragraph(
        doc,
        f"Năm {data.year}, {data.bloc_name} có {len(data.members)} đơn vị thành viên{offices}.",
    )
    w.table(
        doc,
        ["STT", "Tên đơn vị", f"Chức vụ trong {context['word']}"],
        [[str(m.number), m.name, m.office] for m in data.members],
        [12, 113, 40],
    )
    for number, doc_line in enumerate(data.documents):
        lead = "Khối triển khai thực hiện " if number == 0 else ""
        theme = f", với chủ đề năm “{doc_line['theme']}”" if doc_line["theme"] else ""
        issued = f" ngày {doc_line['issued_on']:%d/%m/%Y}" if doc_line["issued_on"] else ""
        w.paragraph(
            doc,
            f"{lead}{doc_line['kind']} số {doc_line['reference']}{issued} {doc_line['title']}{theme}.",
        )
    if data.conferences:
        w.paragraph(doc, f"Trong năm, {context['word']} đã tổ chức các hội nghị:")
        for c in data.conferences:
            place = f" tại {c.place}" if c.place else ""
            presiding = f", chủ trì: {c.presiding}" if c.presiding else ""
            w.paragraph(doc, f"- {c.kind} ngày {c.date:%d/%m/%Y}{place}{presiding}.")
    for line in data.overview.splitlines():
        if line.strip():
            w.paragraph(doc, line)
    w.heading(doc, "II. KẾT QUẢ THỰC HIỆN")
    for number, part in enumerate(data.results, start=1):
        DOCX_PARTS[part["template"]](doc, part, number)
    if not data.results:
        w.paragraph(
            doc,
            "Chưa có số liệu về giao ước thi đua, phong trào thi đua và công tác khen thưởng "
            "trên hệ thống.",
        )
    w.heading(doc, "III. CÔNG TÁC BÌNH XÉT THI ĐUA, KHEN THƯỞNG")
    for number, part in enumerate(data.review, start=1):
        DOCX_PARTS[part["template"]](doc, part, number)
    if not data.review:
        w.paragraph(
            doc, "Chưa có kết quả chấm điểm, bình xét và đề nghị khen thưởng trên hệ thống."
        )
    w.heading(doc, f"IV. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {data.year + 1}")
    if data.next_chair:
        vice = (
            f", {data.next_vice_chair} làm {data.vice_chair_word}" if data.next_vice_chair else ""
        )
        handover = f"; cờ luân lưu được trao ngày {data.handover}" if data.handover else ""
        w.paragraph(
            doc,
            f"Hội nghị thống nhất bầu {data.next_chair} làm {data.chair_word}{vice} năm "
            f"{data.year + 1}{handover}.",
        )
    else:
        w.paragraph(doc, f"{data.chair_word} năm {data.year + 1}: chưa bầu.")
    for line in data.direction.splitlines():
        if line.strip():
            w.paragraph(doc, line)
    w.closing(doc, recipients=context["recipients"], signer=context["signer"])
    return w.to_bytes(doc)
