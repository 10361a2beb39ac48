from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.text import clean_name, fold


class Authority(models.Model):
    """A province or centrally-run city that organises blocs through its council."""

    code = models.SlugField(_("Mã"), max_length=40, unique=True)
    name = models.CharField(_("Tỉnh / thành phố"), max_length=200)
    people_committee_name = models.CharField(_("Tên UBND"), max_length=200)
    council_name = models.CharField(_("Tên Hội đồng Thi đua - Khen thưởng"), max_length=255)
    tdkt_office_name = models.CharField(
        _("Tên cơ quan thường trực TĐKT"),
        max_length=255,
        help_text=_(
            "Ví dụ: Ban Thi đua - Khen thưởng, hoặc Phòng Thi đua - Khen thưởng, Sở Nội vụ."
        ),
    )
    allows_multiple_blocs = models.BooleanField(
        _("Cho phép một đơn vị thuộc nhiều khối trong một năm"), default=False
    )
    search_key = models.CharField(max_length=400, editable=False, db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("tỉnh / thành phố")
        verbose_name_plural = _("tỉnh / thành phố")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        for field in ("name", "people_committee_name", "council_name", "tdkt_office_name"):
            setattr(self, field, clean_name(getattr(self, field)))
        self.search_key = fold(self.name)
        super().save(*args, **kwargs)


class Bloc(models.Model):
    """A khối thi đua or cụm thi đua: same mechanics, a different word."""

    class Kind(models.TextChoices):
        BLOC = "khoi", _("Khối thi đua")
        CLUSTER = "cum", _("Cụm thi đua")

    class Rotation(models.TextChoices):
        VICE_CHAIR_SUCCEEDS = "vice_chair", _("Đơn vị phó năm nay làm trưởng năm sau")
        MEMBER_ORDER = "member_order", _("Luân phiên theo thứ tự thành viên")
        ELECTION = "election", _("Bầu tự do tại hội nghị")

    authority = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        related_name="blocs",
        verbose_name=_("Tỉnh / thành phố"),
    )
    kind = models.CharField(_("Loại"), max_length=8, choices=Kind.choices, default=Kind.BLOC)
    code = models.CharField(_("Số hiệu"), max_length=40)
    name = models.CharField(_("Tên khối / cụm"), max_length=255)
    rotation_rule = models.CharField(
        _("Cách luân phiên Khối trưởng"),
        max_length=20,
        choices=Rotation.choices,
        default=Rotation.VICE_CHAIR_SUCCEEDS,
    )
    note = models.TextField(_("Ghi chú"), blank=True)
    search_key = models.CharField(max_length=600, editable=False, db_index=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["authority__name", "kind", "code"]
        verbose_name = _("khối / cụm thi đua")
        verbose_name_plural = _("khối / cụm thi đua")
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "code"], name="bloc_code_unique_per_authority"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.code = clean_name(self.code)
        self.name = clean_name(self.name)
        self.search_key = fold(f"{self.name} {self.code}")
        super().save(*args, **kwargs)

    @property
    def chair_word(self):
        return _("Cụm trưởng") if self.kind == self.Kind.CLUSTER else _("Khối trưởng")

    @property
    def vice_chair_word(self):
        return _("Cụm phó") if self.kind == self.Kind.CLUSTER else _("Khối phó")


class Unit(models.Model):
    """A member agency. Its names live in UnitName with effective dates; full_name is the current one."""

    authority = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        related_name="units",
        verbose_name=_("Tỉnh / thành phố"),
    )
    full_name = models.CharField(_("Tên đầy đủ"), max_length=255)
    short_name = models.CharField(_("Tên viết tắt"), max_length=100, blank=True)
    parent_body = models.CharField(_("Cơ quan chủ quản"), max_length=255, blank=True)
    head_title = models.CharField(_("Chức danh thủ trưởng"), max_length=120, blank=True)
    address = models.CharField(_("Địa chỉ"), max_length=300, blank=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        verbose_name=_("Đã sáp nhập vào"),
    )
    merged_on = models.DateField(_("Ngày sáp nhập"), null=True, blank=True)
    # Names the unit carried before, kept searchable after a rename.
    former_names = models.TextField(editable=False, blank=True)
    search_key = models.CharField(max_length=1000, editable=False, db_index=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        constraints = [
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | ~Q(merged_into=F("pk")),
                name="unit_not_merged_into_itself",
            ),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        for field in ("full_name", "short_name", "parent_body", "head_title", "address"):
            setattr(self, field, clean_name(getattr(self, field)))
        self.search_key = fold(f"{self.full_name} {self.short_name} {self.former_names}")[:1000]
        super().save(*args, **kwargs)


class UnitName(models.Model):
    """One name a unit carried, from valid_from to valid_until (open-ended when blank)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="names")
    full_name = models.CharField(_("Tên đầy đủ"), max_length=255)
    short_name = models.CharField(_("Tên viết tắt"), max_length=100, blank=True)
    valid_from = models.DateField(_("Từ ngày"), null=True, blank=True)
    valid_until = models.DateField(_("Đến ngày"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["unit", models.F("valid_from").asc(nulls_first=True)]
        verbose_name = _("tên đơn vị")
        verbose_name_plural = _("tên đơn vị")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="unit_name_period_ordered",
            ),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.full_name = clean_name(self.full_name)
        self.short_name = clean_name(self.short_name)
        super().save(*args, **kwargs)


class Membership(models.Model):
    """A unit is a member of a bloc for one emulation year."""

    bloc = models.ForeignKey(Bloc, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships")
    year = models.PositiveSmallIntegerField(_("Năm"))
    position = models.PositiveSmallIntegerField(_("Thứ tự"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["bloc", "year", "position", "unit__full_name"]
        verbose_name = _("thành viên")
        verbose_name_plural = _("thành viên")
        constraints = [
            models.UniqueConstraint(
                fields=["bloc", "unit", "year"], name="membership_unique_per_year"
            ),
        ]
        indexes = [models.Index(fields=["unit", "year"]), models.Index(fields=["bloc", "year"])]

    def __str__(self):
        return f"{self.unit} – {self.bloc} ({self.year})"


class ChairTerm(models.Model):
    """The chair and vice-chair a bloc elected for one year, and the rotating flag handed over."""

    bloc = models.ForeignKey(Bloc, on_delete=models.CASCADE, related_name="chair_terms")
    year = models.PositiveSmallIntegerField(_("Năm"))
    chair = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="chair_terms", verbose_name=_("Khối trưởng")
    )
    vice_chair = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="vice_chair_terms",
        null=True,
        blank=True,
        verbose_name=_("Khối phó"),
    )
    elected_on = models.DateField(_("Ngày bầu"), null=True, blank=True)
    elected_at = models.CharField(_("Bầu tại hội nghị"), max_length=300, blank=True)
    handover_on = models.DateField(_("Ngày trao cờ luân lưu"), null=True, blank=True)
    handover_from = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="flags_handed",
        null=True,
        blank=True,
        verbose_name=_("Đơn vị trao cờ"),
    )
    handover_to = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="flags_received",
        null=True,
        blank=True,
        verbose_name=_("Đơn vị nhận cờ"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["bloc", "-year"]
        verbose_name = _("nhiệm kỳ Khối trưởng")
        verbose_name_plural = _("nhiệm kỳ Khối trưởng")
        constraints = [
            models.UniqueConstraint(fields=["bloc", "year"], name="one_chair_term_per_bloc_year"),
            models.CheckConstraint(
                condition=Q(vice_chair__isnull=True) | ~Q(vice_chair=F("chair")),
                name="chair_and_vice_chair_distinct",
            ),
        ]

    def __str__(self):
        return f"{self.bloc} {self.year}: {self.chair}"


class Conference(models.Model):
    """A conference of the bloc in a year: start of year, mid-year, year-end."""

    class Kind(models.TextChoices):
        START_OF_YEAR = "start", _("Hội nghị đầu năm / ký kết giao ước")
        MID_YEAR = "mid_year", _("Hội nghị sơ kết 6 tháng")
        YEAR_END = "year_end", _("Hội nghị tổng kết năm")
        OTHER = "other", _("Hội nghị khác")

    bloc = models.ForeignKey(Bloc, on_delete=models.CASCADE, related_name="conferences")
    year = models.PositiveSmallIntegerField(_("Năm thi đua"))
    kind = models.CharField(_("Loại hội nghị"), max_length=12, choices=Kind.choices)
    held_on = models.DateField(_("Ngày tổ chức"))
    place = models.CharField(_("Địa điểm"), max_length=300, blank=True)
    presiding_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="conferences_presided",
        null=True,
        blank=True,
        verbose_name=_("Đơn vị chủ trì"),
    )
    presiding_person = models.CharField(_("Người chủ trì"), max_length=200, blank=True)
    attendance = models.CharField(_("Thành phần tham dự"), max_length=500, blank=True)
    note = models.TextField(_("Ghi chú"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["bloc", "year", "held_on"]
        verbose_name = _("hội nghị")
        verbose_name_plural = _("hội nghị")

    def __str__(self):
        return f"{self.get_kind_display()} {self.held_on:%d/%m/%Y}"

    def save(self, *args, **kwargs):
        self.place = clean_name(self.place)
        self.presiding_person = clean_name(self.presiding_person)
        super().save(*args, **kwargs)


class Role(models.Model):
    """What a person may do, and where. Deny by default: no role, nothing visible."""

    class Kind(models.TextChoices):
        SECRETARIAT = "secretariat", _("Thư ký / chuyên viên theo dõi khối")
        OFFICER = "officer", _("Cán bộ TĐKT của đơn vị")
        CHAIR_REP = "chair_rep", _("Đại diện lãnh đạo đơn vị (phê duyệt khi là Khối trưởng)")
        REVIEWER = "reviewer", _("Chuyên viên thẩm định của tỉnh / thành phố")
        ADMIN = "admin", _("Quản trị hệ thống")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles"
    )
    kind = models.CharField(_("Vai trò"), max_length=12, choices=Kind.choices)
    authority = models.ForeignKey(
        Authority, on_delete=models.CASCADE, null=True, blank=True, related_name="roles"
    )
    bloc = models.ForeignKey(
        Bloc, on_delete=models.CASCADE, null=True, blank=True, related_name="roles"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="roles"
    )
    year = models.PositiveSmallIntegerField(
        _("Năm"), null=True, blank=True, help_text=_("Để trống: mọi năm.")
    )
    title = models.CharField(_("Chức danh"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vai trò")
        verbose_name_plural = _("vai trò")
        constraints = [
            models.CheckConstraint(
                name="role_scope_matches_kind",
                condition=(
                    Q(kind="secretariat", unit__isnull=True)
                    & (Q(bloc__isnull=False) | Q(authority__isnull=False))
                )
                | Q(kind__in=["officer", "chair_rep"], unit__isnull=False, bloc__isnull=True)
                | Q(kind="reviewer", authority__isnull=False, bloc__isnull=True, unit__isnull=True)
                | Q(kind="admin", authority__isnull=True, bloc__isnull=True, unit__isnull=True),
            ),
        ]

    def __str__(self):
        scope = self.unit or self.bloc or self.authority or ""
        return f"{self.user} – {self.get_kind_display()} {scope}".strip()


class ImportBatch(models.Model):
    """An uploaded import file, parsed and previewed; nothing is written until it is confirmed."""

    class State(models.TextChoices):
        PREVIEW = "preview", _("Xem trước")
        APPLIED = "applied", _("Đã ghi")
        DISCARDED = "discarded", _("Đã hủy")

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    plan = models.JSONField(default=dict)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PREVIEW)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.filename


class UnitYearFacts(models.Model):
    """What award rules need to know about a unit in one emulation year (DESIGN §7.3).

    Counts are of the unit's cán bộ, công chức, viên chức and người lao động at the year's review.
    Blank means not reported yet: a rule that needs a blank figure says so instead of guessing.
    """

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="year_facts")
    year = models.PositiveSmallIntegerField(_("Năm"))
    headcount = models.PositiveIntegerField(_("Tổng số người"), null=True, blank=True)
    women = models.PositiveIntegerField(_("Số nữ"), null=True, blank=True)
    completed_tasks = models.PositiveIntegerField(
        _("Số người hoàn thành nhiệm vụ trở lên"), null=True, blank=True
    )
    advanced_workers = models.PositiveIntegerField(
        _("Số người đạt Lao động tiên tiến"), null=True, blank=True
    )
    emulation_fighters = models.PositiveIntegerField(
        _("Số người đạt Chiến sĩ thi đua cơ sở"), null=True, blank=True
    )
    disciplined_warning_or_above = models.PositiveIntegerField(
        _("Số người bị kỷ luật từ cảnh cáo trở lên"), null=True, blank=True
    )
    source = models.CharField(
        _("Nguồn số liệu"),
        max_length=300,
        blank=True,
        help_text=_("Ví dụ: Báo cáo tổng kết năm của đơn vị, số 25/BC-VKS ngày 05/12/2022."),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["unit", "-year"]
        verbose_name = _("số liệu năm của đơn vị")
        verbose_name_plural = _("số liệu năm của đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="one_facts_row_per_unit_year"),
            models.CheckConstraint(
                condition=Q(headcount__isnull=True)
                | (
                    (Q(women__isnull=True) | Q(women__lte=F("headcount")))
                    & (Q(completed_tasks__isnull=True) | Q(completed_tasks__lte=F("headcount")))
                    & (Q(advanced_workers__isnull=True) | Q(advanced_workers__lte=F("headcount")))
                    & (
                        Q(emulation_fighters__isnull=True)
                        | Q(emulation_fighters__lte=F("headcount"))
                    )
                    & (
                        Q(disciplined_warning_or_above__isnull=True)
                        | Q(disciplined_warning_or_above__lte=F("headcount"))
                    )
                ),
                name="facts_counts_within_headcount",
            ),
        ]

    def __str__(self):
        return f"{self.unit} {self.year}"

    def save(self, *args, **kwargs):
        self.source = clean_name(self.source)
        super().save(*args, **kwargs)


class VetoCondition(models.Model):
    """Why a unit may not be commended for a year (Nghị định 152/2025/NĐ-CP, Điều 4; earlier texts
    likewise): the collective is under discipline, under investigation or inspection, or a
    complaint or denunciation about it is being handled. Recorded with its source; lifted, not
    deleted, when it ends."""

    class Kind(models.TextChoices):
        DISCIPLINE = "discipline", _("Tập thể đang trong thời gian thi hành kỷ luật")
        INVESTIGATION = (
            "investigation",
            _("Đang bị điều tra, thanh tra, kiểm tra có dấu hiệu vi phạm"),
        )
        COMPLAINT = "complaint", _("Có đơn thư khiếu nại, tố cáo đang được xem xét, giải quyết")
        OTHER = "other", _("Lý do khác theo quy định")

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="veto_conditions")
    year = models.PositiveSmallIntegerField(_("Năm thi đua"))
    kind = models.CharField(_("Loại"), max_length=16, choices=Kind.choices)
    description = models.TextField(_("Nội dung"))
    source = models.CharField(
        _("Căn cứ"),
        max_length=300,
        help_text=_("Văn bản ghi nhận, ví dụ: Quyết định số 15/QĐ-UBKT ngày 02/3/2022."),
    )
    recorded_on = models.DateField(_("Ngày ghi nhận"))
    lifted_on = models.DateField(_("Ngày chấm dứt"), null=True, blank=True)
    lifted_reason = models.CharField(_("Lý do chấm dứt"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["unit", "-year", "recorded_on"]
        verbose_name = _("trường hợp chưa xét khen thưởng")
        verbose_name_plural = _("trường hợp chưa xét khen thưởng")
        indexes = [models.Index(fields=["year", "unit"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(lifted_on__isnull=True) | Q(lifted_on__gte=F("recorded_on")),
                name="veto_lifted_after_recorded",
            ),
        ]

    def __str__(self):
        return f"{self.unit} {self.year}: {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        self.description = clean_name(self.description)
        self.source = clean_name(self.source)
        self.lifted_reason = clean_name(self.lifted_reason)
        super().save(*args, **kwargs)
