"""Criteria tables, reporting periods, unit reports, self and verified scores, evidence, rankings.

- ``CriteriaTable``: the bảng tiêu chí chấm điểm of a bloc-year, in versions. A draft is edited
  freely (a draft at mid-year is normal); it is frozen when the first self score is saved against
  it (DESIGN §7.8) or by the secretariat. A later change is a new version with a reason, and every
  score keeps the version it was made against (its criterion belongs to one version).
- ``Criterion``: a node of the table's tree — group (I, II, …) → criterion (1, 2, …) →
  sub-criterion (a, b, …). A node with ``max_points`` is a leaf (it is scored); the others group.
- ``ReportingPeriod``: sơ kết (mid-year) or tổng kết (year-end) of a bloc-year, draft → open →
  closed → published, with the table version it uses and whether units self-score in it (a
  mid-year period often takes written reports only, the draft table being discussed).
- ``UnitReport``: one unit's report for a period, draft → submitted → returned / accepted, with
  its ``ReportTransition`` log; ``SelfScore`` per leaf with ``Evidence`` files; ``VerifiedScore``
  per leaf by the secretariat or, with cross-scoring on, by another member unit.
- ``BlocYearScoring``: the bloc-year's settings (cross-scoring, vetoed units, tie-break chain).
- ``RankingRun``: one computed ranking with its inputs, rules, result and SHA-256.

Models hold the constraints the database can check; the workflow lives in scoring/services.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import TransitionLog
from core.text import clean_name
from core.uploads import PrivateUploadTo
from scoring import ranking

POINTS = {"max_digits": 8, "decimal_places": 2}


def default_tie_break() -> list[str]:
    return list(ranking.DEFAULT_TIE_BREAK)


class CriteriaTable(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        FROZEN = "frozen", _("Đã chốt")

    bloc = models.ForeignKey("blocs.Bloc", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("Năm thi đua"))
    version = models.PositiveSmallIntegerField(_("Phiên bản"), default=1)
    state = models.CharField(
        _("Trạng thái"), max_length=8, choices=State.choices, default=State.DRAFT
    )
    title = models.CharField(_("Tên bảng tiêu chí"), max_length=300)
    reason = models.TextField(
        _("Lý do ban hành phiên bản mới"), blank=True, help_text=_("Bắt buộc từ phiên bản 2.")
    )
    base_points = models.DecimalField(_("Tổng điểm chuẩn"), default=100, **POINTS)
    capped = models.BooleanField(
        _("Tổng điểm không vượt quá điểm chuẩn"),
        default=False,
        help_text=_("Để trống: điểm thưởng có thể đưa tổng điểm vượt điểm chuẩn (97 + 10 = 107)."),
    )
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
        verbose_name=_("Phiên bản trước"),
    )
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Sao chép từ"),
    )
    frozen_at = models.DateTimeField(_("Thời điểm chốt"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["bloc", "year", "version"]
        verbose_name = _("bảng tiêu chí chấm điểm")
        verbose_name_plural = _("bảng tiêu chí chấm điểm")
        constraints = [
            models.UniqueConstraint(
                fields=["bloc", "year", "version"], name="criteria_table_version_unique"
            ),
            models.UniqueConstraint(
                fields=["bloc", "year"],
                condition=Q(state="draft"),
                name="one_draft_criteria_table",
            ),
            models.CheckConstraint(condition=Q(base_points__gt=0), name="base_points_positive"),
        ]

    def __str__(self):
        return _("{title} (phiên bản {version})").format(title=self.title, version=self.version)

    def save(self, *args, **kwargs):
        self.title = clean_name(self.title)
        super().save(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT


class Criterion(models.Model):
    class Kind(models.TextChoices):
        REGULAR = ranking.REGULAR, _("Điểm chuẩn")
        BONUS = ranking.BONUS, _("Điểm thưởng")
        DEDUCTION = ranking.DEDUCTION, _("Điểm trừ")

    table = models.ForeignKey(CriteriaTable, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    code = models.CharField(_("Số thứ tự"), max_length=12, help_text=_("Ví dụ: I, 1, a."))
    title = models.TextField(_("Nội dung tiêu chí"))
    position = models.PositiveSmallIntegerField(_("Thứ tự"), default=0)
    max_points = models.DecimalField(
        _("Điểm tối đa"),
        null=True,
        blank=True,
        help_text=_("Chỉ ghi ở tiêu chí được chấm điểm (không có tiêu chí con)."),
        **POINTS,
    )
    kind = models.CharField(
        _("Loại điểm"), max_length=10, choices=Kind.choices, default=Kind.REGULAR
    )
    evidence_required = models.BooleanField(_("Bắt buộc có minh chứng"), default=False)
    guidance = models.TextField(_("Hướng dẫn chấm"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["table", "position", "pk"]
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        constraints = [
            models.UniqueConstraint(
                fields=["table", "code"],
                condition=Q(parent__isnull=True),
                name="group_code_unique_in_table",
            ),
            models.UniqueConstraint(
                fields=["parent", "code"],
                condition=Q(parent__isnull=False),
                name="criterion_code_unique_among_siblings",
            ),
            models.CheckConstraint(
                condition=Q(max_points__isnull=True) | Q(max_points__gt=0),
                name="criterion_max_points_positive",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=F("pk")),
                name="criterion_not_its_own_parent",
            ),
        ]

    def __str__(self):
        return f"{self.code}. {self.title}"

    def save(self, *args, **kwargs):
        self.code = clean_name(self.code)
        self.title = clean_name(self.title)
        super().save(*args, **kwargs)

    @property
    def is_leaf(self) -> bool:
        return self.max_points is not None


class BlocYearScoring(models.Model):
    """How a bloc scores and ranks in one year. Absent: no cross-scoring, vetoed units ranked with
    a flag, tie-break chain ``ranking.DEFAULT_TIE_BREAK``."""

    class VetoedUnits(models.TextChoices):
        RANK_WITH_FLAG = ranking.RANK_WITH_FLAG, _("Vẫn xếp hạng, đánh dấu không đủ điều kiện")
        REMOVE = ranking.REMOVE, _("Không đưa vào bảng xếp hạng")

    bloc = models.ForeignKey("blocs.Bloc", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("Năm thi đua"))
    cross_scoring = models.BooleanField(
        _("Các đơn vị chấm chéo"),
        default=False,
        help_text=_(
            "Các đơn vị thành viên chấm điểm cho nhau, không đơn vị nào tự chấm thẩm định."
        ),
    )
    vetoed_units = models.CharField(
        _("Đơn vị chưa đủ điều kiện xét khen thưởng"),
        max_length=16,
        choices=VetoedUnits.choices,
        default=VetoedUnits.RANK_WITH_FLAG,
    )
    tie_break = models.JSONField(_("Thứ tự tiêu chí phụ khi bằng điểm"), default=default_tie_break)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["bloc", "year"]
        verbose_name = _("cách chấm điểm, xếp hạng của khối")
        verbose_name_plural = _("cách chấm điểm, xếp hạng của khối")
        constraints = [
            models.UniqueConstraint(fields=["bloc", "year"], name="one_scoring_setting_per_year")
        ]

    def __str__(self):
        return f"{self.bloc} {self.year}"


class ReportingPeriod(models.Model):
    class Kind(models.TextChoices):
        MID_YEAR = "mid_year", _("Sơ kết 6 tháng")
        YEAR_END = "year_end", _("Tổng kết năm")

    class State(models.TextChoices):
        DRAFT = "draft", _("Chưa mở")
        OPEN = "open", _("Đang nhận báo cáo")
        CLOSED = "closed", _("Đã khóa sổ")
        PUBLISHED = "published", _("Đã công bố kết quả")

    bloc = models.ForeignKey("blocs.Bloc", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("Năm thi đua"))
    kind = models.CharField(_("Kỳ báo cáo"), max_length=10, choices=Kind.choices)
    opens_on = models.DateField(_("Ngày bắt đầu nhận"))
    deadline = models.DateField(_("Hạn nộp"))
    state = models.CharField(
        _("Trạng thái"), max_length=10, choices=State.choices, default=State.DRAFT
    )
    criteria_table = models.ForeignKey(
        CriteriaTable,
        on_delete=models.PROTECT,
        related_name="periods",
        verbose_name=_("Bảng tiêu chí áp dụng"),
    )
    self_scoring = models.BooleanField(
        _("Đơn vị tự chấm điểm trong kỳ này"),
        default=True,
        help_text=_(
            "Bỏ chọn khi kỳ chỉ nhận báo cáo viết (thường là sơ kết 6 tháng, khi bảng tiêu chí "
            "còn là dự thảo để các đơn vị góp ý)."
        ),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["bloc", "year", "kind"]
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        constraints = [
            models.UniqueConstraint(fields=["bloc", "year", "kind"], name="one_period_per_kind"),
            models.CheckConstraint(
                condition=Q(deadline__gte=F("opens_on")), name="period_deadline_after_opening"
            ),
        ]
        indexes = [models.Index(fields=["state", "deadline"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year} – {self.bloc}"


class PeriodTransition(TransitionLog):
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="log")

    class Meta(TransitionLog.Meta):
        verbose_name = _("bước của kỳ báo cáo")
        verbose_name_plural = _("các bước của kỳ báo cáo")


class UnitReport(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Đang soạn")
        SUBMITTED = "submitted", _("Đã gửi")
        RETURNED = "returned", _("Trả lại để bổ sung")
        ACCEPTED = "accepted", _("Đã chấp nhận")

    EDITABLE = (State.DRAFT, State.RETURNED)

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey("blocs.Unit", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        _("Trạng thái"), max_length=10, choices=State.choices, default=State.DRAFT
    )
    text = models.TextField(_("Nội dung báo cáo"), blank=True)
    file = models.FileField(
        _("Tệp báo cáo"),
        upload_to=PrivateUploadTo("scoring/reports"),
        max_length=300,
        blank=True,
    )
    file_name = models.CharField(_("Tên tệp"), max_length=255, blank=True)
    file_type = models.CharField(max_length=120, blank=True)
    submitted_at = models.DateTimeField(_("Thời điểm gửi"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["period", "unit__full_name"]
        verbose_name = _("báo cáo của đơn vị")
        verbose_name_plural = _("báo cáo của đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="one_report_per_unit_period")
        ]

    def __str__(self):
        return f"{self.unit} – {self.period}"

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE


class ReportTransition(TransitionLog):
    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="log")

    class Meta(TransitionLog.Meta):
        verbose_name = _("bước của báo cáo")
        verbose_name_plural = _("các bước của báo cáo")


class SelfScore(models.Model):
    """The unit's own score on one leaf (tự chấm). Blank points: not scored yet (a comment or an
    evidence file may come first). For a deduction line, the points taken off (>= 0)."""

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="self_scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("Điểm tự chấm"), null=True, blank=True, **POINTS)
    comment = models.TextField(_("Giải trình"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("Cập nhật lúc"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "criterion__position"]
        verbose_name = _("điểm tự chấm")
        verbose_name_plural = _("điểm tự chấm")
        constraints = [
            models.UniqueConstraint(fields=["report", "criterion"], name="one_self_score_per_leaf"),
            models.CheckConstraint(
                condition=Q(points__isnull=True) | Q(points__gte=0), name="self_score_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.report} – {self.criterion.code}: {self.points}"


class Evidence(models.Model):
    """A minh chứng file: for one self score, or for the report as a whole (no self score)."""

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="evidence")
    self_score = models.ForeignKey(
        SelfScore, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    file = models.FileField(
        _("Tệp minh chứng"), upload_to=PrivateUploadTo("scoring/evidence"), max_length=300
    )
    original_name = models.CharField(_("Tên tệp"), max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField(_("Dung lượng (byte)"))
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("Tải lên lúc"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "uploaded_at", "pk"]
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")

    def __str__(self):
        return self.original_name


class VerifiedScore(models.Model):
    """The score a verifier sets on one leaf: the secretariat (``scorer_unit`` blank) or, where the
    bloc-year has cross-scoring, another member unit — never the unit itself. A value different
    from the self score carries its reason."""

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="verified_scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("Điểm thẩm định"), **POINTS)
    # Not "reason": core.history.update_with_history takes that word for the history's reason.
    justification = models.TextField(_("Lý do điều chỉnh"), blank=True)
    scorer_unit = models.ForeignKey(
        "blocs.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Đơn vị chấm chéo"),
    )
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Người chấm"),
    )
    scored_at = models.DateTimeField(_("Chấm lúc"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "criterion__position"]
        verbose_name = _("điểm thẩm định")
        verbose_name_plural = _("điểm thẩm định")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "criterion"],
                condition=Q(scorer_unit__isnull=True),
                name="one_secretariat_score_per_leaf",
            ),
            models.UniqueConstraint(
                fields=["report", "criterion", "scorer_unit"],
                condition=Q(scorer_unit__isnull=False),
                name="one_cross_score_per_leaf_and_unit",
            ),
            models.CheckConstraint(condition=Q(points__gte=0), name="verified_not_negative"),
        ]

    def __str__(self):
        return f"{self.report} – {self.criterion.code}: {self.points}"


class RankingRun(models.Model):
    """One computed ranking, kept as computed: the inputs (scores, women shares, veto reasons),
    the rules, the result and a SHA-256 over their canonical bytes (scoring.ranking.digest)."""

    bloc = models.ForeignKey("blocs.Bloc", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("Năm thi đua"))
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="ranking_runs"
    )
    criteria_table = models.ForeignKey(
        CriteriaTable, on_delete=models.PROTECT, related_name="ranking_runs"
    )
    computed_on = models.DateField(_("Ngày tính"))
    inputs = models.JSONField()
    rules = models.JSONField()
    result = models.JSONField()
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["bloc", "year", "-created_at", "-pk"]
        get_latest_by = ["created_at", "pk"]
        verbose_name = _("kết quả xếp hạng")
        verbose_name_plural = _("kết quả xếp hạng")
        indexes = [models.Index(fields=["bloc", "year", "-created_at"])]

    def __str__(self):
        return f"{self.bloc} {self.year} ({self.sha256[:12]})"
