from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.text import clean_name


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
