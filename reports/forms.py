from django import forms
from django.utils.translation import gettext_lazy as _


class ReportTextForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    overview = forms.CharField(
        label=_("Đánh giá chung (mục I)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Mỗi đoạn một dòng. Phần số liệu do hệ thống tự lập từ dữ liệu của năm."),
    )
    direction = forms.CharField(
        label=_("Phương hướng, nhiệm vụ năm sau (mục IV)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
