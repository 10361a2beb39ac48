"""Award types and their rules as data, the legal bases by date, quotas, the award registry and
the secret ballot of a bloc-year.

The secret ballot keeps two tables that nothing joins: the voter roll (which unit has voted, and
when) and the ballot box (the choices alone, under a random id, with no time, no user, no unit
and no history). See ``BallotBoxEntry`` and ``services.ballot_cast``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from blocs.models import Authority, Bloc, Unit
from core.models import TransitionLog
from core.text import clean_name
from core.uploads import PrivateUploadTo


class LegalBasis(models.Model):
    """A text printed in the "Căn cứ …" lines of documents, with the dates it applies.

    National texts have no authority; an authority adds its own (its regulation on emulation and
    commendation, its guidance for blocs). ``citation`` is what follows "Căn cứ " on paper.
    """

    authority = models.ForeignKey(
        Authority,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="legal_bases",
        verbose_name=_("Tỉnh / thành phố"),
        help_text=_("Để trống: văn bản của Trung ương, áp dụng cho mọi tỉnh, thành phố."),
    )
    code = models.SlugField(_("Mã"), max_length=60)
    short_name = models.CharField(
        _("Tên ngắn"), max_length=120, help_text=_("Ví dụ: Nghị định 152/2025/NĐ-CP.")
    )
    citation = models.TextField(
        _("Nội dung dòng căn cứ"),
        help_text=_(
            "Phần in sau chữ “Căn cứ”, ví dụ: Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022."
        ),
    )
    order = models.PositiveSmallIntegerField(
        _("Thứ tự in"),
        default=100,
        help_text=_("Luật trước, nghị định, thông tư, văn bản của tỉnh sau."),
    )
    effective_from = models.DateField(_("Áp dụng từ ngày"), null=True, blank=True)
    effective_to = models.DateField(_("Áp dụng đến ngày"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", F("effective_from").asc(nulls_first=True), "pk"]
        verbose_name = _("căn cứ pháp lý")
        verbose_name_plural = _("căn cứ pháp lý")
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "code"], name="legal_basis_code_unique_per_authority"
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(authority__isnull=True),
                name="national_legal_basis_code_unique",
            ),
            models.CheckConstraint(
                condition=Q(effective_from__isnull=True)
                | Q(effective_to__isnull=True)
                | Q(effective_to__gte=F("effective_from")),
                name="legal_basis_period_ordered",
            ),
        ]

    def __str__(self):
        return self.short_name

    def save(self, *args, **kwargs):
        self.short_name = clean_name(self.short_name)
        self.citation = clean_name(self.citation)
        super().save(*args, **kwargs)


class AwardType(models.Model):
    """A title (danh hiệu thi đua) or a form of commendation (hình thức khen thưởng)."""

    class Kind(models.TextChoices):
        TITLE = "title", _("Danh hiệu thi đua")
        FORM = "form", _("Hình thức khen thưởng")

    class Level(models.TextChoices):
        STATE = "state", _("Cấp Nhà nước")
        PROVINCE = "province", _("Cấp bộ, ban, ngành, tỉnh")
        BASE = "base", _("Cấp cơ sở")

    class Audience(models.TextChoices):
        ALL = "all", _("Mọi tập thể")
        CIVIL = "civil", _("Tập thể ngoài lực lượng vũ trang")
        ARMED_FORCES = "armed_forces", _("Đơn vị thuộc lực lượng vũ trang nhân dân")

    code = models.SlugField(_("Mã"), max_length=60, unique=True)
    name = models.CharField(_("Tên"), max_length=200)
    short_name = models.CharField(_("Tên ngắn"), max_length=80)
    authority_wording = models.CharField(
        _("Cách ghi theo tỉnh / thành phố"),
        max_length=200,
        blank=True,
        help_text=_(
            "Dùng {ubnd} cho tên Ủy ban nhân dân, ví dụ: Cờ thi đua của {ubnd}. Để trống: dùng tên."
        ),
    )
    kind = models.CharField(_("Loại"), max_length=8, choices=Kind.choices)
    level = models.CharField(_("Cấp"), max_length=10, choices=Level.choices)
    audience = models.CharField(
        _("Đối tượng"), max_length=14, choices=Audience.choices, default=Audience.ALL
    )
    issuing_authority = models.CharField(_("Cấp quyết định"), max_length=200)
    legal_citation = models.CharField(_("Căn cứ quy định"), max_length=300, blank=True)
    cash_multiple = models.DecimalField(
        _("Tiền thưởng (lần mức lương cơ sở)"), max_digits=5, decimal_places=2
    )
    cash_citation = models.CharField(_("Căn cứ mức tiền thưởng"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("Thứ tự"), default=100)
    active = models.BooleanField(_("Đang dùng"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("danh hiệu, hình thức khen thưởng")
        verbose_name_plural = _("danh hiệu, hình thức khen thưởng")
        constraints = [
            models.CheckConstraint(
                condition=Q(cash_multiple__gte=0), name="award_cash_multiple_not_negative"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        for field in ("name", "short_name", "authority_wording", "issuing_authority"):
            setattr(self, field, clean_name(getattr(self, field)))
        super().save(*args, **kwargs)

    def name_for(self, authority: Authority) -> str:
        """The award as the documents of ``authority`` write it ("Cờ thi đua của Ủy ban nhân dân
        Thành phố Hồ Chí Minh")."""
        if not self.authority_wording:
            return self.name
        return self.authority_wording.replace("{ubnd}", authority.people_committee_name)


class EligibilityRule(models.Model):
    """One standard an award requires, with its legal citation and the dates it applies.

    Rules of one award that share an ``alternative_group`` are alternatives: one of them suffices
    (Bằng khen: a result in the bloc's movement, or two years of Tập thể lao động xuất sắc).
    Parameters are validated per kind by ``awards.eligibility.clean_params``.
    """

    class Kind(models.TextChoices):
        LEADS_BLOC = "leads_bloc", _("Dẫn đầu khối, cụm thi đua")
        RANK_AT_MOST = "rank_at_most", _("Xếp hạng trong khối không thấp hơn hạng N")
        HELD_AWARD = "held_award", _("Đã được tặng danh hiệu, hình thức khác K năm liên tục")
        NO_VETO = "no_veto", _("Không thuộc trường hợp chưa xét khen thưởng")
        WOMEN_SHARE = "women_share", _("Tỷ lệ nữ")
        ADVANCED_SHARE = "advanced_share", _("Tỷ lệ đạt Lao động tiên tiến")
        EMULATION_FIGHTERS = "emulation_fighters", _("Số Chiến sĩ thi đua cơ sở")
        NO_DISCIPLINE = "no_discipline", _("Không có cá nhân bị kỷ luật từ cảnh cáo trở lên")
        # xgettext:no-python-format
        ALL_COMPLETED = "all_completed", _("100% cá nhân hoàn thành nhiệm vụ")
        QUOTA_SHARE = "quota_share", _("Tỷ lệ tối đa trên danh sách đề nghị toàn tỉnh")

    class Effect(models.TextChoices):
        REQUIRED = "required", _("Tiêu chuẩn bắt buộc")
        PRIORITY = "priority", _("Ưu tiên khi các đơn vị bằng nhau")

    award_type = models.ForeignKey(
        AwardType, on_delete=models.CASCADE, related_name="rules", verbose_name=_("Khen thưởng")
    )
    authority = models.ForeignKey(
        Authority,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="award_rules",
        verbose_name=_("Tỉnh / thành phố"),
        help_text=_(
            "Để trống: tiêu chuẩn chung theo luật. Chọn tỉnh: tiêu chuẩn riêng theo quy định, "
            "quy chế của tỉnh, thêm vào tiêu chuẩn chung."
        ),
    )
    kind = models.CharField(_("Loại tiêu chuẩn"), max_length=20, choices=Kind.choices)
    params = models.JSONField(_("Tham số"), default=dict, blank=True)
    effect = models.CharField(
        _("Tác dụng"), max_length=10, choices=Effect.choices, default=Effect.REQUIRED
    )
    alternative_group = models.CharField(
        _("Nhóm thay thế"),
        max_length=40,
        blank=True,
        help_text=_("Các tiêu chuẩn cùng nhóm thay thế nhau: chỉ cần đạt một."),
    )
    citation = models.CharField(
        _("Căn cứ"),
        max_length=300,
        help_text=_("Ghi như văn bản hành chính: khoản 1 Điều 26 Luật Thi đua, khen thưởng."),
    )
    note = models.TextField(_("Ghi chú"), blank=True)
    effective_from = models.DateField(_("Áp dụng từ ngày"), null=True, blank=True)
    effective_to = models.DateField(_("Áp dụng đến ngày"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("Thứ tự"), default=100)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["award_type__order", "order", "pk"]
        verbose_name = _("tiêu chuẩn khen thưởng")
        verbose_name_plural = _("tiêu chuẩn khen thưởng")
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_from__isnull=True)
                | Q(effective_to__isnull=True)
                | Q(effective_to__gte=F("effective_from")),
                name="rule_period_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.award_type.short_name}: {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        self.citation = clean_name(self.citation)
        self.alternative_group = clean_name(self.alternative_group)
        super().save(*args, **kwargs)


class BlocAwardQuota(models.Model):
    """How many of an award a bloc may propose in a year (DESIGN §7.7). No row: no limit set."""

    bloc = models.ForeignKey(Bloc, on_delete=models.CASCADE, related_name="award_quotas")
    year = models.PositiveSmallIntegerField(_("Năm"))
    award_type = models.ForeignKey(
        AwardType, on_delete=models.PROTECT, related_name="quotas", verbose_name=_("Khen thưởng")
    )
    max_count = models.PositiveSmallIntegerField(_("Số lượng tối đa"))
    source = models.CharField(
        _("Căn cứ"),
        max_length=300,
        blank=True,
        help_text=_("Ví dụ: Hướng dẫn số 15/HD-HĐTĐKT ngày 10/10/2022 của Hội đồng TĐKT tỉnh."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["bloc", "year", "award_type__order"]
        verbose_name = _("số lượng đề nghị khen thưởng")
        verbose_name_plural = _("số lượng đề nghị khen thưởng")
        constraints = [
            models.UniqueConstraint(
                fields=["bloc", "year", "award_type"], name="one_quota_per_bloc_year_award"
            ),
        ]

    def __str__(self):
        return f"{self.bloc} {self.year}: {self.max_count} × {self.award_type.short_name}"


class AwardRecord(models.Model):
    """What a unit received: the award registry ("Các hình thức đã được khen thưởng")."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Nhập tay")
        IMPORT = "import", _("Nhập từ tệp")
        PROPOSAL = "proposal", _("Từ quyết định khen thưởng của đề nghị")

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="award_records", verbose_name=_("Đơn vị")
    )
    year = models.PositiveSmallIntegerField(_("Năm thành tích"))
    award_type = models.ForeignKey(
        AwardType,
        on_delete=models.PROTECT,
        related_name="records",
        verbose_name=_("Danh hiệu / hình thức"),
    )
    decision_number = models.CharField(
        _("Số quyết định"), max_length=60, help_text=_("Ví dụ: 1234/QĐ-UBND.")
    )
    decision_date = models.DateField(_("Ngày quyết định"))
    issuing_body = models.CharField(_("Cơ quan ban hành"), max_length=255)
    bloc = models.ForeignKey(
        Bloc,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Khối, cụm đề nghị"),
    )
    note = models.CharField(_("Ghi chú"), max_length=500, blank=True)
    source = models.CharField(
        _("Nguồn"), max_length=10, choices=Source.choices, default=Source.MANUAL
    )
    source_ref = models.CharField(max_length=100, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["unit", "-year", "award_type__order"]
        verbose_name = _("khen thưởng đã nhận")
        verbose_name_plural = _("sổ khen thưởng")
        constraints = [
            # One achievement is commended once (Luật Thi đua, khen thưởng, Điều 5).
            models.UniqueConstraint(
                fields=["unit", "year", "award_type"], name="one_award_type_per_unit_year"
            ),
        ]
        indexes = [models.Index(fields=["year", "award_type"])]

    def __str__(self):
        return f"{self.unit} {self.year}: {self.award_type.short_name}"

    def save(self, *args, **kwargs):
        self.decision_number = clean_name(self.decision_number)
        self.issuing_body = clean_name(self.issuing_body)
        self.note = clean_name(self.note)
        super().save(*args, **kwargs)

    @property
    def decision_words(self) -> str:
        return f"Quyết định số {self.decision_number}"


class UnitAwardProfile(models.Model):
    """Whether a unit belongs to the people's armed forces (army, border guard, police): it is
    then considered for Đơn vị quyết thắng / Đơn vị tiên tiến (Luật Thi đua, khen thưởng,
    Điều 20). No row means no."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="award_profile")
    armed_forces = models.BooleanField(_("Thuộc lực lượng vũ trang nhân dân"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thông tin khen thưởng của đơn vị")
        verbose_name_plural = _("thông tin khen thưởng của đơn vị")

    def __str__(self):
        return str(self.unit)


class RegistryImport(models.Model):
    """An uploaded registry file, checked and previewed; nothing is written until confirmed."""

    class State(models.TextChoices):
        PREVIEW = "preview", _("Xem trước")
        APPLIED = "applied", _("Đã ghi")
        DISCARDED = "discarded", _("Đã hủy")

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+")
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


# The secret ballot -------------------------------------------------------------------------------


class Ballot(models.Model):
    """A secret ballot (bình xét, bỏ phiếu kín) of a bloc-year: candidates per award, the bloc's
    threshold, and either online voting (one ballot per member unit) or paper ballots counted by
    the counting committee (Ban kiểm phiếu) and entered as totals."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Đang chuẩn bị")
        OPEN = "open", _("Đang bỏ phiếu")
        CLOSED = "closed", _("Đã kết thúc")

    class Mode(models.TextChoices):
        ONLINE = "online", _("Bỏ phiếu trên hệ thống")
        PAPER = "paper", _("Phiếu giấy, Ban kiểm phiếu nhập kết quả")

    class Base(models.TextChoices):
        ALL = "all", _("Tổng số đơn vị thành viên")
        PRESENT = "present", _("Số đơn vị có mặt, tham gia bỏ phiếu")

    bloc = models.ForeignKey(Bloc, on_delete=models.CASCADE, related_name="ballots")
    year = models.PositiveSmallIntegerField(_("Năm thi đua"))
    title = models.CharField(_("Tên cuộc bỏ phiếu"), max_length=255)
    mode = models.CharField(_("Cách bỏ phiếu"), max_length=8, choices=Mode.choices)
    held_on = models.DateField(_("Ngày bình xét"))
    closes_at = models.DateTimeField(
        _("Hạn bỏ phiếu"),
        null=True,
        blank=True,
        help_text=_("Sau thời điểm này hệ thống không nhận phiếu. Để trống: đến khi kết thúc."),
    )
    base = models.CharField(_("Tỷ lệ tính trên"), max_length=8, choices=Base.choices)
    threshold = models.CharField(
        _("Tỷ lệ phiếu đồng ý cần đạt"),
        max_length=12,
        help_text=_("Phần trăm (50, 80) hoặc phân số (2/3), như quy chế của khối ghi."),
    )
    threshold_strict = models.BooleanField(
        _("Phải vượt tỷ lệ (trên), không tính bằng"),
        default=True,
        help_text=_("Bỏ chọn nếu quy chế ghi “từ … trở lên”."),
    )
    counting_committee = models.TextField(
        _("Ban kiểm phiếu"),
        blank=True,
        help_text=_("Trưởng ban và các thành viên, mỗi người một dòng."),
    )
    state = models.CharField(
        _("Trạng thái"), max_length=8, choices=State.choices, default=State.DRAFT
    )
    # Paper mode: totals entered by the counting committee at closing.
    paper_issued = models.PositiveSmallIntegerField(_("Số phiếu phát ra"), null=True, blank=True)
    paper_returned = models.PositiveSmallIntegerField(_("Số phiếu thu về"), null=True, blank=True)
    paper_valid = models.PositiveSmallIntegerField(_("Số phiếu hợp lệ"), null=True, blank=True)
    paper_invalid = models.PositiveSmallIntegerField(
        _("Số phiếu không hợp lệ"), null=True, blank=True
    )
    tally = models.JSONField(default=dict, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["bloc", "-year", "-held_on", "-pk"]
        verbose_name = _("cuộc bỏ phiếu bình xét")
        verbose_name_plural = _("cuộc bỏ phiếu bình xét")
        indexes = [models.Index(fields=["state", "closes_at"])]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.title = clean_name(self.title)
        self.counting_committee = "\n".join(
            clean_name(line)
            for line in (self.counting_committee or "").splitlines()
            if line.strip()
        )
        super().save(*args, **kwargs)


class BallotTransition(TransitionLog):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionLog.Meta):
        verbose_name = _("bước của cuộc bỏ phiếu")
        verbose_name_plural = _("các bước của cuộc bỏ phiếu")

    def __str__(self):
        return f"{self.ballot}: {self.from_state} → {self.to_state}"


class BallotItem(models.Model):
    """One award put to the vote, with how many units may be proposed for it."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="items")
    award_type = models.ForeignKey(
        AwardType, on_delete=models.PROTECT, related_name="+", verbose_name=_("Khen thưởng")
    )
    max_choices = models.PositiveSmallIntegerField(
        _("Số đơn vị được đề nghị"),
        help_text=_("Mỗi phiếu đồng ý tối đa bằng số này; phiếu đồng ý nhiều hơn là không hợp lệ."),
    )
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["ballot", "order", "award_type__order"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "award_type"], name="one_item_per_award"),
            models.CheckConstraint(condition=Q(max_choices__gte=1), name="item_max_choices_min"),
        ]

    def __str__(self):
        return f"{self.ballot}: {self.award_type.short_name}"


class Candidate(models.Model):
    """A unit on the ballot for one award; the eligibility shown when the ballot opened is kept."""

    item = models.ForeignKey(BallotItem, on_delete=models.CASCADE, related_name="candidates")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)
    eligibility = models.JSONField(default=dict, blank=True, editable=False)
    paper_votes = models.PositiveSmallIntegerField(_("Số phiếu đồng ý"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "unit"], name="one_candidacy_per_item"),
        ]

    def __str__(self):
        return f"{self.item}: {self.unit}"


class VoterRollEntry(models.Model):
    """The voter roll: which member unit has voted (online) or was absent (with its written
    opinion). It never holds a choice. One row per unit and ballot, enforced by the database."""

    class Kind(models.TextChoices):
        VOTED = "voted", _("Đã bỏ phiếu")
        ABSENT = "absent", _("Vắng mặt")

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="roll")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    at = models.DateTimeField(_("Thời điểm"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_opinion = models.TextField(_("Ý kiến bằng văn bản"), blank=True)
    # An absent unit's written opinion is not secret: the candidates it agrees with, by id,
    # counted beside the ballot box when the secretariat records them. Null: not counted.
    written_choices = models.JSONField(null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["ballot", "unit__full_name"]
        verbose_name = _("danh sách đơn vị đã bỏ phiếu")
        verbose_name_plural = _("danh sách đơn vị đã bỏ phiếu")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "unit"], name="one_roll_entry_per_unit"),
        ]

    def __str__(self):
        return f"{self.ballot}: {self.unit} ({self.get_kind_display()})"

    def save(self, *args, **kwargs):
        self.written_opinion = clean_name(self.written_opinion)
        super().save(*args, **kwargs)


class BallotBoxEntry(models.Model):
    """A ballot in the box: the choices and nothing else.

    No unit, no user, no timestamp, no history (django-simple-history is deliberately not
    registered), a random UUID key, no default ordering. The box of a ballot is rewritten in a
    random order at every vote (``services.ballot_cast``), so neither the physical row order, nor
    the SQLite rowid, nor PostgreSQL's xmin tells which ballot came in when.
    ``choices`` maps a ballot item id (as text) to the sorted candidate ids agreed.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="+")
    choices = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("phiếu trong hòm phiếu")
        verbose_name_plural = _("hòm phiếu")

    def __str__(self):
        return str(self.id)


class Proposal(models.Model):
    """The bloc-year's đề nghị khen thưởng to the province, and its way through: drafted by the
    secretariat, approved by the representative of that year's chair unit, issued with the
    register's number, sent, decided by the council. Approved lines become registry entries."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        SUBMITTED = "submitted", _("Đã trình Khối trưởng")
        RETURNED = "returned", _("Khối trưởng trả lại")
        APPROVED = "approved", _("Khối trưởng đã duyệt")
        ISSUED = "issued", _("Đã ban hành")
        SENT = "sent", _("Đã gửi tỉnh, thành phố")
        DECIDED = "decided", _("Đã có quyết định")

    EDITABLE = (State.DRAFT, State.RETURNED)

    bloc = models.ForeignKey(Bloc, on_delete=models.CASCADE, related_name="proposals")
    year = models.PositiveSmallIntegerField(_("Năm thi đua"))
    state = models.CharField(
        _("Trạng thái"), max_length=10, choices=State.choices, default=State.DRAFT
    )
    summary = models.TextField(
        _("Tóm tắt kết quả bình xét"),
        blank=True,
        help_text=_("In trong Tờ trình: đánh giá chung về phong trào thi đua của khối trong năm."),
    )
    ballot = models.ForeignKey(
        Ballot, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ranking_run_id = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # Issuing (DESIGN §7.5): the number and date given by the chair unit's register, the signer.
    number = models.CharField(_("Số"), max_length=20, blank=True)
    symbol = models.CharField(
        _("Ký hiệu"), max_length=40, blank=True, help_text=_("Ví dụ: TTr-KTĐ8.")
    )
    issued_on = models.DateField(_("Ngày ban hành"), null=True, blank=True)
    signer_prefix = models.CharField(_("TM. / KT."), max_length=4, blank=True)
    signer_title = models.CharField(_("Chức vụ người ký"), max_length=200, blank=True)
    signer_name = models.CharField(_("Họ tên người ký"), max_length=200, blank=True)
    # The council's decision.
    decision_number = models.CharField(_("Số quyết định"), max_length=60, blank=True)
    decision_date = models.DateField(_("Ngày quyết định"), null=True, blank=True)
    decision_body = models.CharField(_("Cơ quan quyết định"), max_length=255, blank=True)
    documents = models.ManyToManyField("core.FrozenDocument", blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["ranking_run_id"])

    class Meta:
        ordering = ["bloc", "-year"]
        verbose_name = _("đề nghị khen thưởng")
        verbose_name_plural = _("đề nghị khen thưởng")
        constraints = [
            models.UniqueConstraint(fields=["bloc", "year"], name="one_proposal_per_bloc_year")
        ]

    def __str__(self):
        return f"{self.bloc} {self.year}"

    def save(self, *args, **kwargs):
        self.summary = "\n".join(clean_name(line) for line in (self.summary or "").splitlines())
        for field in ("number", "symbol", "signer_title", "signer_name", "decision_number"):
            setattr(self, field, clean_name(getattr(self, field)))
        super().save(*args, **kwargs)

    @property
    def editable(self) -> bool:
        return self.state in self.EDITABLE


class ProposalLine(models.Model):
    """One unit proposed for one award, with why (rank, votes) and its eligibility when added."""

    class Outcome(models.TextChoices):
        AWARDED = "awarded", _("Được khen thưởng")
        NOT_AWARDED = "not_awarded", _("Không được khen thưởng")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="lines")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    award_type = models.ForeignKey(AwardType, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)
    rank = models.PositiveSmallIntegerField(_("Xếp hạng"), null=True, blank=True)
    total = models.DecimalField(
        _("Tổng điểm"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    votes = models.PositiveSmallIntegerField(_("Số phiếu đồng ý"), null=True, blank=True)
    votes_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    eligibility = models.JSONField(default=dict, blank=True, editable=False)
    added_reason = models.CharField(_("Lý do bổ sung"), max_length=500, blank=True)
    outcome = models.CharField(_("Kết quả"), max_length=12, choices=Outcome.choices, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["proposal", "award_type__order", "order", "pk"]
        verbose_name = _("dòng đề nghị")
        verbose_name_plural = _("dòng đề nghị")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "unit", "award_type"], name="one_line_per_unit_award"
            )
        ]

    def __str__(self):
        return f"{self.unit} — {self.award_type.short_name}"


class ProposalTransition(TransitionLog):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionLog.Meta):
        verbose_name = _("bước của đề nghị khen thưởng")
        verbose_name_plural = _("các bước của đề nghị khen thưởng")

    def __str__(self):
        return f"{self.proposal}: {self.from_state} → {self.to_state}"


class AchievementReport(models.Model):
    """A proposed unit's Báo cáo thành tích (Law Art. 84; DESIGN §7.2): generated from the data,
    signed by the unit's head, certified by its superior, whose signed scan is uploaded here."""

    line = models.OneToOneField(ProposalLine, on_delete=models.CASCADE, related_name="report")
    achievements = models.TextField(
        _("Thành tích đạt được"),
        blank=True,
        help_text=_("Mục II của báo cáo; để trống thì hệ thống ghi kết quả chấm điểm và xếp hạng."),
    )
    certified_scan = models.FileField(
        _("Bản có xác nhận của cấp trên (bản chụp)"),
        upload_to=PrivateUploadTo("awards/achievement"),
        blank=True,
    )
    certified_scan_name = models.CharField(max_length=255, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("báo cáo thành tích")
        verbose_name_plural = _("báo cáo thành tích")

    def __str__(self):
        return str(self.line)
