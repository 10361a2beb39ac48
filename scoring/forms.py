"""Forms of the scoring pages. Points are read by the services (scoring.rules.read_points): the
forms take them as text so "7,5" and a typo reach the same Vietnamese message."""

from django import forms
from django.utils.translation import gettext_lazy as _

from blocs.forms import DateInput
from scoring.models import BlocYearScoring, Criterion, ReportingPeriod


class CriteriaTableForm(forms.Form):
    title = forms.CharField(label=_("Tên bảng tiêu chí"), max_length=300)
    base_points = forms.CharField(label=_("Tổng điểm chuẩn"), max_length=12, initial="100")
    capped = forms.BooleanField(
        label=_("Tổng điểm không vượt quá điểm chuẩn"),
        required=False,
        help_text=_("Để trống: điểm thưởng có thể đưa tổng điểm vượt điểm chuẩn (97 + 10 = 107)."),
    )


class CriterionForm(forms.Form):
    parent = forms.TypedChoiceField(
        label=_("Thuộc nhóm, tiêu chí"), required=False, coerce=int, empty_value=None
    )
    code = forms.CharField(label=_("Số thứ tự"), max_length=12, help_text=_("Ví dụ: I, 1, a."))
    title = forms.CharField(
        label=_("Nội dung tiêu chí"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    max_points = forms.CharField(
        label=_("Điểm tối đa"),
        max_length=12,
        required=False,
        help_text=_("Để trống với nhóm tiêu chí (điểm được chấm ở các tiêu chí con)."),
    )
    kind = forms.ChoiceField(label=_("Loại điểm"), choices=Criterion.Kind.choices)
    evidence_required = forms.BooleanField(label=_("Bắt buộc có minh chứng"), required=False)
    guidance = forms.CharField(
        label=_("Hướng dẫn chấm"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, parents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", _("— Nhóm tiêu chí (cấp cao nhất) —"))] + [
            (node.criterion.pk, f"{node.path}. {node.criterion.title[:80]}") for node in parents
        ]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class SettingsForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    cross_scoring = forms.BooleanField(
        label=_("Các đơn vị chấm chéo"),
        required=False,
        help_text=_("Đơn vị thành viên chấm điểm thẩm định cho đơn vị khác (không tự chấm mình)."),
    )
    vetoed_units = forms.ChoiceField(
        label=_("Đơn vị chưa đủ điều kiện khen thưởng"),
        choices=BlocYearScoring.VetoedUnits.choices,
    )
    tie_break = forms.CharField(
        label=_("Thứ tự tiêu chí phụ khi bằng điểm"),
        required=False,
        max_length=500,
        help_text=_(
            "Mỗi dòng một tiêu chí: group:I (điểm nhóm I cao hơn), fewer_deductions (ít điểm trừ "
            "hơn), women_70 (tập thể có từ 70% nữ trở lên, Nghị định 152/2025/NĐ-CP, Điều 4). "
            "Cuối cùng luôn xếp theo tên đơn vị để kết quả không phụ thuộc thứ tự nhập."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def rules(self) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data["tie_break"].splitlines() if line.strip()
        ]


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kỳ báo cáo"), choices=ReportingPeriod.Kind.choices)
    opens_on = forms.DateField(label=_("Ngày bắt đầu nhận"), widget=DateInput())
    deadline = forms.DateField(label=_("Hạn nộp"), widget=DateInput())
    self_scoring = forms.BooleanField(
        label=_("Đơn vị tự chấm điểm"),
        required=False,
        initial=True,
        help_text=_("Bỏ chọn nếu kỳ này chỉ nhận báo cáo viết (thường là kỳ sơ kết)."),
    )


class PeriodDatesForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    opens_on = forms.DateField(label=_("Ngày bắt đầu nhận"), widget=DateInput())
    deadline = forms.DateField(label=_("Hạn nộp"), widget=DateInput())


class ReportTextForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Nội dung báo cáo"),
        required=False,
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    file = forms.FileField(
        label=_("Tệp báo cáo (PDF hoặc Word)"),
        required=False,
        help_text=_("Tệp được kiểm tra theo nội dung; tối đa theo giới hạn của hệ thống."),
    )
    remove_file = forms.BooleanField(label=_("Gỡ tệp đã đính kèm"), required=False)


class CellForm(forms.Form):
    """One self-score cell (autosaved by htmx, or sent with its button)."""

    points = forms.CharField(label=_("Điểm tự chấm"), required=False, max_length=20)
    comment = forms.CharField(label=_("Giải trình"), required=False, max_length=4000)
    version = forms.IntegerField(required=False)


class VerifiedCellForm(forms.Form):
    points = forms.CharField(label=_("Điểm thẩm định"), required=False, max_length=20)
    reason = forms.CharField(label=_("Lý do điều chỉnh"), required=False, max_length=4000)
    version = forms.IntegerField(required=False)
    scorer_unit = forms.IntegerField(required=False)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp"))
