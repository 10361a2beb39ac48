import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.text import clean_name
from core.uploads import PrivateUploadTo


class User(AbstractUser):
    """A person who signs in. What they may do comes from their roles (blocs.Role)."""

    full_name = models.CharField(_("Họ và tên"), max_length=200, blank=True)
    job_title = models.CharField(_("Chức vụ"), max_length=200, blank=True)
    phone = models.CharField(_("Điện thoại"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def save(self, *args, **kwargs):
        self.full_name = clean_name(self.full_name)
        self.job_title = clean_name(self.job_title)
        super().save(*args, **kwargs)

    def __str__(self):
        return self.full_name or self.username


class TransitionLog(models.Model):
    """One step of an approvable thing's workflow: who moved it, when, from which state to which,
    and why. Each app subclasses it with a foreign key to what moves (DESIGN §4)."""

    at = models.DateTimeField(_("Thời điểm"), auto_now_add=True)
    actor = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("Người thực hiện")
    )
    from_state = models.CharField(_("Từ trạng thái"), max_length=20, blank=True)
    to_state = models.CharField(_("Sang trạng thái"), max_length=20)
    reason = models.TextField(_("Lý do"), blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]


def _verification_code() -> str:
    # 10 characters of Crockford's alphabet (no I, L, O, U): easy to read off paper and type.
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(10))


class FrozenDocument(models.Model):
    """A generated document as it was delivered: the bytes, their SHA-256 and a short code printed
    on the paper so anyone holding it can check it. Never overwritten: a new rendering is a new row.
    """

    kind = models.CharField(_("Loại văn bản"), max_length=40)
    title = models.CharField(_("Tên văn bản"), max_length=300)
    file = models.FileField(_("Tệp"), upload_to=PrivateUploadTo("documents"), max_length=300)
    filename = models.CharField(_("Tên tệp"), max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField(_("Dung lượng (byte)"))
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    verification_code = models.CharField(
        _("Mã kiểm tra"), max_length=12, unique=True, default=_verification_code
    )
    issuer = models.CharField(_("Cơ quan ban hành"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("Thời điểm lập"), auto_now_add=True)
    created_by = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("văn bản đã chốt")
        verbose_name_plural = _("văn bản đã chốt")

    def __str__(self):
        return f"{self.title} ({self.verification_code})"


class Job(models.Model):
    """A piece of background work, recorded before it is queued so it can never be lost.

    The row is written in the request's transaction; the Celery message is sent after commit and
    may fail (Redis down) or be lost (worker killed): the periodic sweep re-queues what is left
    pending or running without a heartbeat. Only one active job per ``key``: asking again while it
    runs returns the same job.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Đang chờ")
        RUNNING = "running", _("Đang chạy")
        DONE = "done", _("Đã xong")
        FAILED = "failed", _("Lỗi")

    ACTIVE = (State.PENDING, State.RUNNING)

    kind = models.CharField(_("Loại công việc"), max_length=60)
    key = models.CharField(max_length=200, db_index=True)
    title = models.CharField(_("Công việc"), max_length=300)
    params = models.JSONField(default=dict)
    state = models.CharField(
        _("Trạng thái"), max_length=10, choices=State.choices, default=State.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("Tiến độ (%)"), default=0)
    step = models.CharField(_("Đang làm"), max_length=300, blank=True)
    message = models.TextField(_("Thông báo"), blank=True)
    result = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    # The bloc-year the job works for, when it has one: who may watch it follows from it.
    bloc = models.ForeignKey(
        "blocs.Bloc", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    authority = models.ForeignKey(
        "blocs.Authority", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("công việc nền")
        verbose_name_plural = _("công việc nền")
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(state__in=["pending", "running"]),
                name="one_active_job_per_key",
            ),
        ]
        indexes = [models.Index(fields=["state", "heartbeat_at"])]

    def __str__(self):
        return f"{self.title} ({self.get_state_display()})"

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE


class SentReminder(models.Model):
    """A reminder that has been sent: its key makes each one go out once, whatever happens."""

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=60)
    subject = models.CharField(max_length=300)
    recipients = models.TextField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("nhắc việc đã gửi")
        verbose_name_plural = _("nhắc việc đã gửi")

    def __str__(self):
        return self.subject
