"""The year's plan and regulation, the emulation movements, and the pledge (giao ước thi đua).

- ``YearDocument``: the Kế hoạch or the Quy chế of a bloc-year. The secretariat drafts it; the
  representative of that year's chair unit issues it (number and date from the chair unit's
  register, signer with TM./KT., the signed and stamped scan), after which it is frozen (the
  scan's SHA-256 is kept; a correction is a new revision that supersedes it).
- ``Movement``: a phong trào thi đua run during the year (facts for the year-end report).
- ``Pledge``: the giao ước of a bloc-year, in revisions. draft → open (signing) → in force when
  every member unit of that year has signed → superseded by a corrected revision. Its
  ``commitments`` are the numbered contents, its ``Target`` rows the chỉ tiêu (common to all
  members, or one unit's), its ``Signature`` rows who signed for each unit; ``Achievement`` rows
  hold what each unit achieved against each target at year-end.

Nothing here enforces the workflow: services do (pledges/services.py), and the models only hold
the constraints the database can check.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import TransitionLog
from core.text import clean_name
from core.uploads import PrivateUploadTo


class SignerPrefix(models.TextChoices):
    """ND 30/2020: "TM." (on behalf of a collective), "KT." (a deputy signing for the head)."""

    NONE = "", _("Thủ trưởng ký trực tiếp")
    ON_BEHALF = "TM.", _("TM. (thay mặt tập thể)")
    SIGNED_FOR = "KT.", _("KT. (cấp phó ký thay)")


class YearDocument(models.Model):
    class Kind(models.TextChoices):
        PLAN = "plan", _("Kế hoạch")
        REGULATION = "regulation", _("Quy chế")

    class State(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        ISSUED = "issued", _("Đã ban hành")
        SUPERSEDED = "superseded", _("Đã được thay thế")

    bloc = models.ForeignKey("blocs.Bloc", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("Năm thi đua"))
    kind = models.CharField(_("Loại văn bản"), max_length=12, choices=Kind.choices)
    revision = models.PositiveSmallIntegerField(_("Lần ban hành"), default=1)
    state = models.CharField(
        _("Trạng thái"), max_length=12, choices=State.choices, default=State.DRAFT
    )
    title = models.CharField(_("Trích yếu"), max_length=500)
    theme = models.CharField(_("Chủ đề năm"), max_length=500, blank=True)
    summary = models.TextField(_("Nội dung chính"), blank=True)
    reference = models.CharField(
        _("Số, ký hiệu"),
        max_length=80,
        blank=True,
        help_text=_("Viết như trên văn bản, ví dụ 972/KH-CTĐ7 hoặc 580/QĐ-CTĐ 7."),
    )
    issued_on = models.DateField(_("Ngày ban hành"), null=True, blank=True)
    issuer_unit = models.ForeignKey(
        "blocs.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Đơn vị ban hành"),
    )
    signer_prefix = models.CharField(
        _("Hình thức ký"), max_length=4, choices=SignerPrefix.choices, blank=True
    )
    signer_on_behalf_of = models.CharField(_("Thay mặt / ký thay cho"), max_length=200, blank=True)
    signer_title = models.CharField(_("Chức vụ người ký"), max_length=200, blank=True)
    signer_name = models.CharField(_("Họ tên người ký"), max_length=200, blank=True)
    scan = models.FileField(
        _("Bản chụp có chữ ký, đóng dấu"),
        upload_to=PrivateUploadTo("pledges/documents"),
        max_length=300,
        blank=True,
    )
    scan_name = models.CharField(max_length=200, blank=True)
    scan_type = models.CharField(max_length=120, blank=True)
    scan_sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField(null=True, blank=True)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    change_reason = models.TextField(_("Lý do sửa đổi"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["bloc", "year", "kind", "-revision"]
        verbose_name = _("kế hoạch, quy chế")
        verbose_name_plural = _("kế hoạch, quy chế")
        constraints = [
            models.UniqueConstraint(
                fields=["bloc", "year", "kind", "revision"], name="year_document_revision_unique"
            ),
            models.UniqueConstraint(
                fields=["bloc", "year", "kind"],
                condition=Q(state="draft"),
                name="one_draft_year_document",
            ),
            models.UniqueConstraint(
                fields=["bloc", "year", "kind"],
                condition=Q(state="issued"),
                name="one_issued_year_document",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.reference or self.title}"

    def save(self, *args, **kwargs):
        for name in (
            "title",
            "theme",
            "reference",
            "signer_on_behalf_of",
            "signer_title",
            "signer_name",
        ):
            setattr(self, name, clean_name(getattr(self, name)))
        super().save(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT


class YearDocumentTransition(TransitionLog):
    document = models.ForeignKey(YearDocument, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionLog.Meta):
        verbose_name = _("bước xử lý kế hoạch, quy chế")
        verbose_name_plural = _("bước xử lý kế hoạch, quy chế")

    def __str__(self):
        return f"{self.document}: {self.from_state} → {self.to_state}"


class Movement(models.Model):
    """A phong trào thi đua of the year (DESIGN §7.3): regular or thematic, and who launched it."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Thường xuyên")
        THEMATIC = "thematic", _("Chuyên đề")

    class Launcher(models.TextChoices):
        CENTRAL = "central", _("Trung ương")
        AUTHORITY = "authority", _("Tỉnh / thành phố")
        BLOC = "bloc", _("Khối / cụm")
        UNIT = "unit", _("Đơn vị thành viên")

    bloc = models.ForeignKey("blocs.Bloc", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("Năm thi đua"))
    name = models.CharField(_("Tên phong trào"), max_length=500)
    kind = models.CharField(_("Loại"), max_length=10, choices=Kind.choices)
    launched_by = models.CharField(_("Cấp phát động"), max_length=10, choices=Launcher.choices)
    launched_by_unit = models.ForeignKey(
        "blocs.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Đơn vị phát động"),
    )
    starts_on = models.DateField(_("Từ ngày"), null=True, blank=True)
    ends_on = models.DateField(_("Đến ngày"), null=True, blank=True)
    description = models.TextField(_("Nội dung"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["bloc", "year", "starts_on", "pk"]
        verbose_name = _("phong trào thi đua")
        verbose_name_plural = _("phong trào thi đua")
        indexes = [models.Index(fields=["bloc", "year"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(launched_by="unit", launched_by_unit__isnull=False)
                | (~Q(launched_by="unit") & Q(launched_by_unit__isnull=True)),
                name="movement_unit_iff_launched_by_unit",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="movement_period_ordered",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = clean_name(self.name)
        super().save(*args, **kwargs)


class Pledge(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        OPEN = "open", _("Đang ký kết")
        IN_FORCE = "in_force", _("Có hiệu lực")
        SUPERSEDED = "superseded", _("Đã được thay thế")

    WORKING = (State.DRAFT, State.OPEN)

    bloc = models.ForeignKey("blocs.Bloc", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("Năm thi đua"))
    revision = models.PositiveSmallIntegerField(_("Lần"), default=1)
    state = models.CharField(
        _("Trạng thái"), max_length=12, choices=State.choices, default=State.DRAFT
    )
    title = models.CharField(_("Tên văn bản"), max_length=300)
    preamble = models.TextField(
        _("Phần mở đầu"),
        blank=True,
        help_text=_("Căn cứ, mục đích; mỗi đoạn một dòng."),
    )
    closing = models.TextField(
        _("Phần kết"),
        blank=True,
        help_text=_("Cam kết chung và hiệu lực của bản giao ước; mỗi đoạn một dòng."),
    )
    # The numbered contents (nội dung giao ước), in order: a list of paragraphs. Kept on the
    # pledge itself because they are read and frozen together with it.
    commitments = models.JSONField(_("Nội dung giao ước"), default=list, blank=True)
    contents_source = models.CharField(
        _("Nguồn nội dung"),
        max_length=500,
        blank=True,
        help_text=_("Ghi chú nội bộ, không in: nội dung lấy từ đâu."),
    )
    conference = models.ForeignKey(
        "blocs.Conference",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Hội nghị ký kết"),
    )
    signing_on = models.DateField(_("Ngày ký kết"), null=True, blank=True)
    signing_place = models.CharField(_("Địa điểm ký kết"), max_length=300, blank=True)
    presiding_unit = models.ForeignKey(
        "blocs.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Đơn vị chủ trì"),
    )
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    correction_reason = models.TextField(_("Lý do sửa đổi"), blank=True)
    in_force_on = models.DateField(_("Có hiệu lực từ ngày"), null=True, blank=True)
    document = models.ForeignKey(
        "core.FrozenDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Bản PDF đã chốt"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["bloc", "year", "-revision"]
        verbose_name = _("giao ước thi đua")
        verbose_name_plural = _("giao ước thi đua")
        constraints = [
            models.UniqueConstraint(
                fields=["bloc", "year", "revision"], name="pledge_revision_unique"
            ),
            models.UniqueConstraint(
                fields=["bloc", "year"],
                condition=Q(state__in=["draft", "open"]),
                name="one_working_pledge_per_bloc_year",
            ),
            models.UniqueConstraint(
                fields=["bloc", "year"],
                condition=Q(state="in_force"),
                name="one_pledge_in_force_per_bloc_year",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.get_state_display()})"

    def save(self, *args, **kwargs):
        self.title = clean_name(self.title)
        self.signing_place = clean_name(self.signing_place)
        self.contents_source = clean_name(self.contents_source)
        super().save(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def is_in_force(self) -> bool:
        return self.state == self.State.IN_FORCE


class PledgeTransition(TransitionLog):
    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionLog.Meta):
        verbose_name = _("bước xử lý giao ước")
        verbose_name_plural = _("bước xử lý giao ước")

    def __str__(self):
        return f"{self.pledge}: {self.from_state} → {self.to_state}"


class Target(models.Model):
    """A chỉ tiêu: for every member (unit blank) or for one unit; quantitative or qualitative."""

    class Kind(models.TextChoices):
        QUANTITATIVE = "quantitative", _("Định lượng")
        QUALITATIVE = "qualitative", _("Định tính")

    class Comparison(models.TextChoices):
        AT_LEAST = "ge", "≥"
        AT_MOST = "le", "≤"
        EQUAL = "eq", "="

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="targets")
    position = models.PositiveSmallIntegerField(_("Thứ tự"))
    text = models.CharField(_("Chỉ tiêu"), max_length=500)
    unit = models.ForeignKey(
        "blocs.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Áp dụng cho"),
    )
    kind = models.CharField(
        _("Loại chỉ tiêu"), max_length=12, choices=Kind.choices, default=Kind.QUANTITATIVE
    )
    comparison = models.CharField(
        _("So sánh"), max_length=2, choices=Comparison.choices, blank=True
    )
    value = models.DecimalField(
        _("Mức chỉ tiêu"), max_digits=15, decimal_places=3, null=True, blank=True
    )
    measure = models.CharField(_("Đơn vị tính"), max_length=40, blank=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["pledge", "position", "pk"]
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="qualitative")
                | (Q(comparison__in=["ge", "le", "eq"]) & Q(value__isnull=False)),
                name="quantitative_target_has_comparison_and_value",
            ),
        ]

    def __str__(self):
        return self.text

    def save(self, *args, **kwargs):
        self.text = clean_name(self.text)
        self.measure = clean_name(self.measure)
        super().save(*args, **kwargs)

    @property
    def is_quantitative(self) -> bool:
        return self.kind == self.Kind.QUANTITATIVE


class Signature(models.Model):
    """A unit head's signature of the pledge, as recorded by the unit's officer (who may attach
    the scan) or, for a paper signature, by the secretariat (with the scan). Voided, never
    deleted, when the pledge goes back to draft."""

    class Method(models.TextChoices):
        RECORDED = "recorded", _("Cán bộ của đơn vị ghi nhận")
        PAPER = "paper", _("Ký trên giấy, thư ký ghi nhận")

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="signatures")
    unit = models.ForeignKey("blocs.Unit", on_delete=models.PROTECT, related_name="+")
    method = models.CharField(_("Cách ghi nhận"), max_length=10, choices=Method.choices)
    signer_name = models.CharField(_("Họ tên người ký"), max_length=200)
    signer_title = models.CharField(_("Chức vụ người ký"), max_length=200)
    signer_prefix = models.CharField(
        _("Hình thức ký"), max_length=4, choices=SignerPrefix.choices, blank=True
    )
    signer_on_behalf_of = models.CharField(_("Thay mặt / ký thay cho"), max_length=200, blank=True)
    signed_on = models.DateField(_("Ngày ký"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("Thời điểm ghi nhận"), auto_now_add=True)
    scan = models.FileField(
        _("Bản chụp chữ ký"),
        upload_to=PrivateUploadTo("pledges/signatures"),
        max_length=300,
        blank=True,
    )
    scan_name = models.CharField(max_length=200, blank=True)
    scan_type = models.CharField(max_length=120, blank=True)
    scan_sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pledge", "recorded_at", "pk"]
        verbose_name = _("chữ ký giao ước")
        verbose_name_plural = _("chữ ký giao ước")
        constraints = [
            models.UniqueConstraint(
                fields=["pledge", "unit"],
                condition=Q(voided_at__isnull=True),
                name="one_signature_per_unit_and_pledge",
            ),
        ]

    def __str__(self):
        return f"{self.unit}: {self.signer_name}"

    def save(self, *args, **kwargs):
        for name in ("signer_name", "signer_title", "signer_on_behalf_of"):
            setattr(self, name, clean_name(getattr(self, name)))
        super().save(*args, **kwargs)


class Achievement(models.Model):
    """What a unit achieved against a target at year-end (DESIGN §7.3)."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="achievements")
    unit = models.ForeignKey("blocs.Unit", on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(
        _("Kết quả đạt được"), max_digits=15, decimal_places=3, null=True, blank=True
    )
    judged_met = models.BooleanField(_("Đánh giá đạt"), null=True, blank=True)
    note = models.CharField(_("Ghi chú, nguồn số liệu"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["target", "unit"]
        verbose_name = _("kết quả thực hiện chỉ tiêu")
        verbose_name_plural = _("kết quả thực hiện chỉ tiêu")
        constraints = [
            models.UniqueConstraint(fields=["target", "unit"], name="one_achievement_per_target"),
        ]

    def __str__(self):
        return f"{self.target} – {self.unit}"

    def save(self, *args, **kwargs):
        self.note = clean_name(self.note)
        super().save(*args, **kwargs)


class Reminder(models.Model):
    """A reminder to sign, asked for by the secretariat: one per pledge and day, sent by a job."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="reminders")
    day = models.DateField(_("Ngày nhắc"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    job = models.ForeignKey(
        "core.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # [{"unit_id", "unit", "emails": [...], "sent_at"}] filled in by the job as it sends.
    deliveries = models.JSONField(default=list, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pledge", "-day"]
        verbose_name = _("lần nhắc ký")
        verbose_name_plural = _("lần nhắc ký")
        constraints = [
            models.UniqueConstraint(fields=["pledge", "day"], name="one_reminder_per_pledge_day"),
        ]

    def __str__(self):
        return f"{self.pledge} {self.day:%d/%m/%Y}"
