from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class YearEndReport(models.Model):
    """One compilation of a bloc's báo cáo tổng kết for a year. Never overwritten: compiling again
    makes the next version; each file is a core.FrozenDocument with its SHA-256."""

    bloc = models.ForeignKey(
        "blocs.Bloc", on_delete=models.CASCADE, related_name="year_end_reports"
    )
    year = models.PositiveSmallIntegerField(_("Năm"))
    version = models.PositiveIntegerField(_("Lần lập"))
    job = models.ForeignKey(
        "core.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    pdf = models.ForeignKey("core.FrozenDocument", on_delete=models.PROTECT, related_name="+")
    docx = models.ForeignKey(
        "core.FrozenDocument", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    xlsx = models.ForeignKey("core.FrozenDocument", on_delete=models.PROTECT, related_name="+")
    # SHA-256 of the data the report was compiled from: two versions with the same hash say the
    # same thing.
    data_sha256 = models.CharField(max_length=64)
    page_count = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["bloc", "-year", "-version"]
        verbose_name = _("báo cáo tổng kết")
        verbose_name_plural = _("báo cáo tổng kết")
        constraints = [
            models.UniqueConstraint(
                fields=["bloc", "year", "version"], name="year_end_report_version_unique"
            ),
            # A job yields at most one version per bloc, however often it runs.
            models.UniqueConstraint(
                fields=["job", "bloc"],
                condition=Q(job__isnull=False),
                name="one_report_per_job_bloc",
            ),
        ]

    def __str__(self):
        return f"{self.bloc} {self.year} (lần {self.version})"


class ReportText(models.Model):
    """What the secretariat writes into the year's report: the overview and next year's direction
    (the rest comes from the data)."""

    bloc = models.ForeignKey("blocs.Bloc", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("Năm"))
    overview = models.TextField(_("Đánh giá chung"), blank=True)
    direction = models.TextField(_("Phương hướng, nhiệm vụ năm sau"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nội dung báo cáo tổng kết")
        verbose_name_plural = _("nội dung báo cáo tổng kết")
        constraints = [
            models.UniqueConstraint(fields=["bloc", "year"], name="one_report_text_per_bloc_year")
        ]

    def __str__(self):
        return f"{self.bloc} {self.year}"
