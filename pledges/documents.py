"""The signed pledge as documents: the PDF (WeasyPrint, frozen when the pledge comes into force)
and its Word twin (core.docx), both built from one context.

The document (Nghị định 30/2020/NĐ-CP layout): the bloc as issuing body under its province, the
national header, the place and the signing date; the title; the "Căn cứ" lines from the year's
issued plan and regulation; the opening paragraphs; the signing units as entered; the numbered
contents; the targets table; the closing paragraphs and the signing conference; then one
signature block per member unit (its name, the signer's TM./KT. lines and title, the name).
The verification code printed in the footer is the one the frozen copy is stored under.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import translation

from core import admin_format, documents
from core import docx as word
from core.admin_format import Signer, upper
from core.text import fold
from pledges import references, selectors
from pledges.models import Pledge, Signature, YearDocument

TEMPLATE = "pdf/pledge.html"


@dataclass(frozen=True)
class SignatureBlock:
    unit_name: str
    heading: str
    lines: list[str]
    name: str
    note: str


@dataclass
class PledgeDocument:
    """Everything the PDF template and the DOCX writer show."""

    doc_title: str
    subtitle: str
    issuer_parent: str
    issuer_name: str
    place_date: str
    bases: list[str]
    preamble: list[str]
    participants: list[tuple[str, str]]  # (name as entered, office in the bloc)
    commitments: list[str]
    targets: list[tuple[int, str, str, str]]  # (STT, chỉ tiêu, mức, áp dụng)
    closing: list[str]
    signing_sentence: str
    signature_blocks: list[SignatureBlock]
    footer: str
    draft: bool
    verification_code: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def signature_rows(self) -> list[tuple[SignatureBlock | None, SignatureBlock | None]]:
        """The signature blocks two to a row, the last row padded with None."""
        blocks = list(self.signature_blocks)
        if len(blocks) % 2:
            blocks.append(None)
        return list(zip(blocks[::2], blocks[1::2], strict=True))

    def as_context(self) -> dict:
        return {
            "doc_title": self.doc_title,
            "subtitle": self.subtitle,
            "issuer_parent": self.issuer_parent,
            "issuer_name": self.issuer_name,
            "place_date": self.place_date,
            "bases": self.bases,
            "preamble": self.preamble,
            "participants": self.participants,
            "commitments": self.commitments,
            "targets": self.targets,
            "closing": self.closing,
            "signing_sentence": self.signing_sentence,
            "signature_blocks": self.signature_blocks,
            "signature_rows": self.signature_rows,
            "draft": self.draft,
            # The foot of every page (pdf/base.html): the frozen copy's code, else the draft mark.
            "verification_code": self.verification_code,
            "doc_footer_text": "" if self.verification_code else self.footer,
        }


def _lines(text: str) -> list[str]:
    return [line for line in (text or "").splitlines() if line.strip()]


def _basis(document: YearDocument, bloc_name: str) -> str:
    word_default = "Kế hoạch" if document.kind == YearDocument.Kind.PLAN else "Quyết định"
    kind_word = references.type_word(document.reference, word_default)
    when = f" ngày {references.short_date(document.issued_on)}" if document.issued_on else ""
    title = document.title
    # "Căn cứ Kế hoạch số 972/KH-CTĐ7 ngày 04/4/2023 của Cụm thi đua số 7 về công tác …"
    if title.lower().startswith(kind_word.lower()):
        title = title[len(kind_word) :].strip()
    return f"Căn cứ {kind_word} số {document.reference}{when} của {bloc_name} {title}".strip() + ";"


def _signer_of(signature: Signature | None) -> Signer | None:
    if signature is None:
        return None
    return Signer(
        title=signature.signer_title,
        prefix=signature.signer_prefix,
        on_behalf_of=signature.signer_on_behalf_of,
        name=signature.signer_name,
    )


def build(pledge: Pledge, *, verification_code: str = "", members=None) -> PledgeDocument:
    """The document of one revision, read from the database (a fixed number of queries).

    ``members``: the bloc-year's members (selectors.members_of_year) when the caller has them
    already, as a page does; read here otherwise.
    """
    bloc = pledge.bloc
    year = pledge.year
    if members is None:
        members = selectors.members_of_year(bloc=bloc, year=year)
    names = {m.pk: m.name for m in members}
    page = selectors.pledge_page(
        bloc=bloc, year=year, members=members, versions=[pledge], pledge=pledge, results=False
    )
    bases_docs = selectors.year_documents_in_force(bloc=bloc, year=year)
    with translation.override(documents.DOCUMENT_LANGUAGE):
        chair_word, vice_word = str(bloc.chair_word), str(bloc.vice_chair_word)
    office_words = {"chair": chair_word, "vice_chair": vice_word}
    place = admin_format.place_name(bloc.authority.name)
    day = pledge.in_force_on or pledge.signing_on
    place_date = (
        admin_format.place_date_line(place, day)
        if day
        else f"{place}, ngày      tháng      năm {year}"
    )
    presiding = names.get(pledge.presiding_unit_id) or (
        pledge.presiding_unit.full_name if pledge.presiding_unit_id else ""
    )
    sentence = ""
    if pledge.signing_on:
        sentence = (
            f"Bản giao ước được các đơn vị ký kết tại Hội nghị ký kết giao ước thi đua năm {year}"
            f" ngày {references.short_date(pledge.signing_on)}"
        )
        if pledge.signing_place:
            sentence += f" tại {pledge.signing_place}"
        if presiding:
            sentence += f", do {presiding} chủ trì"
        sentence += "."
    blocks = []
    for row in page.status_rows:
        signature = row.signature
        signer = _signer_of(signature)
        blocks.append(
            SignatureBlock(
                unit_name=row.member.name,
                heading=upper(row.member.name),
                lines=signer.lines if signer else [],
                name=signer.name if signer else "",
                note=f"(Đã ký ngày {references.short_date(signature.signed_on)})"
                if signature
                else "",
            )
        )
    draft = pledge.state in Pledge.WORKING
    if verification_code:
        # The wording pdf/base.html prints for a frozen document, so the Word twin says the same.
        footer = (
            f"Mã kiểm tra: {verification_code} — đối chiếu tại trang "
            "“Kiểm tra văn bản” của hệ thống thiduea"
        )
    elif draft:
        footer = "DỰ THẢO — bản giao ước chưa có hiệu lực"
    else:
        footer = ""
    return PledgeDocument(
        doc_title=upper(pledge.title),
        subtitle=bloc.name,
        issuer_parent=upper(bloc.authority.name),
        issuer_name=upper(bloc.name),
        place_date=place_date,
        # Only what was issued by the signing day can be cited ("Căn cứ") by the pledge.
        bases=[
            _basis(bases_docs[kind], bloc.name)
            for kind in (YearDocument.Kind.PLAN, YearDocument.Kind.REGULATION)
            if kind in bases_docs and (day is None or bases_docs[kind].issued_on <= day)
        ],
        preamble=_lines(pledge.preamble),
        participants=[(m.name, office_words.get(m.office, "")) for m in members],
        commitments=list(pledge.commitments),
        targets=[
            (number, row.target.text, row.level or "Định tính", row.applies_to or "Tất cả đơn vị")
            for number, row in enumerate(page.target_rows, start=1)
        ],
        closing=_lines(pledge.closing),
        signing_sentence=sentence,
        signature_blocks=blocks,
        footer=footer,
        draft=draft,
        verification_code=verification_code,
    )


def pledge_pdf(pledge: Pledge, *, verification_code: str = "", members=None) -> bytes:
    return render(build(pledge, verification_code=verification_code, members=members))


def render(document: PledgeDocument) -> bytes:
    return documents.render_pdf(TEMPLATE, document.as_context())


def pledge_filename(pledge: Pledge, extension: str) -> str:
    code = fold(pledge.bloc.code).replace(" ", "-") or "khoi"
    suffix = f"-lan-{pledge.revision}" if pledge.revision > 1 else ""
    return f"giao-uoc-{code}-{pledge.year}{suffix}.{extension}"


def pledge_docx(pledge: Pledge, *, members=None) -> bytes:
    """The Word twin: the same header, contents, targets table and signature grid.

    Once the pledge is in force (or superseded) its footer carries the frozen PDF's verification
    code, so a copy edited in Word still points to the signed original; a draft says it is one.
    """
    code = pledge.document.verification_code if pledge.document_id else ""
    document = build(pledge, verification_code=code, members=members)
    doc = word.new_document()
    word.header_table(
        doc,
        issuer_parent=document.issuer_parent,
        issuer_name=document.issuer_name,
        place_date=document.place_date,
    )
    word.title(doc, document.doc_title, document.subtitle)
    for line in document.bases:
        word.paragraph(doc, line, italic=True)
    for line in document.preamble:
        word.paragraph(doc, line)
    word.paragraph(doc, "Các đơn vị ký kết giao ước gồm:")
    for number, (name, office) in enumerate(document.participants, start=1):
        word.paragraph(doc, f"{number}. {name}" + (f" ({office})" if office else ""))
    if document.commitments:
        word.heading(doc, "I. NỘI DUNG GIAO ƯỚC")
        for number, text in enumerate(document.commitments, start=1):
            word.paragraph(doc, f"{number}. {text}")
    if document.targets:
        word.heading(doc, "II. CÁC CHỈ TIÊU")
        word.table(
            doc,
            ["STT", "Chỉ tiêu", "Mức", "Áp dụng"],
            [[str(n), text, level, scope] for n, text, level, scope in document.targets],
            [12, 88, 25, 40],
        )
    for line in document.closing:
        word.paragraph(doc, line)
    if document.signing_sentence:
        word.paragraph(doc, document.signing_sentence, italic=True)
    word_blocks = []
    for pair in document.signature_rows:
        # Both blocks of a row get as many lines, so their names line up (empty lines pad).
        depth = max(len(block.lines) for block in pair if block)
        word_blocks.extend(
            word.SignatureBlock(
                heading=block.heading,
                lines=[*block.lines, *[""] * (depth - len(block.lines))],
                name=block.name,
                note=block.note,
            )
            for block in pair
            if block
        )
    word.signature_grid(
        doc,
        word_blocks,
        heading_text="ĐẠI DIỆN CÁC ĐƠN VỊ KÝ KẾT",
    )
    if document.footer:
        word.footer_text(doc, document.footer)
    return word.to_bytes(doc)


def today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()
