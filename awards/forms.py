from django import forms
from django.utils.translation import gettext_lazy as _

from awards.models import Ballot
from blocs.forms import DateInput


class RegistryFilterForm(forms.Form):
    q = forms.CharField(label=_("Đơn vị"), required=False, max_length=200)
    year = forms.TypedChoiceField(label=_("Năm"), required=False, coerce=int, empty_value=None)
    award_type = forms.TypedChoiceField(
        label=_("Danh hiệu, hình thức"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, years, award_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Mọi năm"))] + [(y, y) for y in years]
        self.fields["award_type"].choices = [("", _("Tất cả"))] + [
            (a.pk, a.short_name) for a in award_types
        ]


class AwardRecordForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=None)
    year = forms.IntegerField(label=_("Năm thành tích"), min_value=2000, max_value=2100)
    award_type = forms.ModelChoiceField(label=_("Danh hiệu, hình thức"), queryset=None)
    decision_number = forms.CharField(
        label=_("Số quyết định"), max_length=60, help_text=_("Ví dụ: 1234/QĐ-UBND.")
    )
    decision_date = forms.DateField(label=_("Ngày quyết định"), widget=DateInput())
    issuing_body = forms.CharField(label=_("Cơ quan ban hành"), max_length=255)
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)

    def __init__(self, *args, units, award_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["award_type"].queryset = award_types
        self.fields["unit"].empty_label = _("— Chọn đơn vị —")
        self.fields["award_type"].empty_label = _("— Chọn —")


class RegistryImportForm(forms.Form):
    authority = forms.ModelChoiceField(label=_("Tỉnh / thành phố"), queryset=None)
    file = forms.FileField(label=_("Tệp Excel (.xlsx) hoặc CSV"))

    def __init__(self, *args, authorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = authorities
        if len(authorities) == 1:
            self.fields["authority"].initial = authorities[0]


class QuotaForm(forms.Form):
    """One row per award type: how many the bloc may propose (blank: no limit set)."""

    def __init__(self, *args, quotas, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for award_type, quota in quotas:
            count = forms.IntegerField(
                label=award_type.name,
                required=False,
                min_value=0,
                max_value=100,
                initial=quota.max_count if quota else None,
            )
            source = forms.CharField(
                label=_("Căn cứ"),
                required=False,
                max_length=300,
                initial=quota.source if quota else "",
            )
            self.fields[f"count_{award_type.pk}"] = count
            self.fields[f"source_{award_type.pk}"] = source
            self.rows.append(award_type)

    def bound_rows(self):
        return [(a, self[f"count_{a.pk}"], self[f"source_{a.pk}"]) for a in self.rows]

    def quotas(self) -> dict:
        return {
            a: (self.cleaned_data[f"count_{a.pk}"], self.cleaned_data[f"source_{a.pk}"])
            for a in self.rows
        }


class BallotForm(forms.Form):
    title = forms.CharField(label=_("Tên cuộc bỏ phiếu"), max_length=255)
    mode = forms.ChoiceField(label=_("Cách bỏ phiếu"), choices=Ballot.Mode.choices)
    held_on = forms.DateField(label=_("Ngày bình xét"), widget=DateInput())
    closes_at = forms.DateTimeField(
        label=_("Hạn bỏ phiếu"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        help_text=_("Sau thời điểm này hệ thống không nhận phiếu. Để trống: đến khi kết thúc."),
    )
    base = forms.ChoiceField(label=_("Tỷ lệ tính trên"), choices=Ballot.Base.choices)
    threshold = forms.CharField(
        label=_("Tỷ lệ phiếu đồng ý cần đạt"),
        max_length=12,
        help_text=_("Phần trăm (50, 80) hoặc phân số (2/3), như quy chế của khối ghi."),
    )
    threshold_strict = forms.BooleanField(
        label=_("Phải vượt tỷ lệ (trên), không tính bằng"),
        required=False,
        initial=True,
        help_text=_("Bỏ chọn nếu quy chế ghi “từ … trở lên”."),
    )
    counting_committee = forms.CharField(
        label=_("Ban kiểm phiếu"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Trưởng ban và các thành viên, mỗi người một dòng."),
    )


class BallotItemForm(forms.Form):
    award_type = forms.ModelChoiceField(label=_("Danh hiệu, hình thức"), queryset=None)
    max_choices = forms.IntegerField(
        label=_("Số đơn vị được đề nghị"), min_value=1, max_value=50, initial=1
    )

    def __init__(self, *args, award_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award_type"].queryset = award_types


class CandidatesForm(forms.Form):
    units = forms.MultipleChoiceField(
        label=_("Đơn vị được giới thiệu"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].choices = [(str(u.pk), name) for u, name in members]


class AbsentForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Đơn vị vắng mặt"), coerce=int)
    written_opinion = forms.CharField(
        label=_("Ý kiến bằng văn bản"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("— Chọn đơn vị —"))] + [
            (u.pk, name) for u, name in units
        ]


class PaperTotalsForm(forms.Form):
    issued = forms.IntegerField(label=_("Số phiếu phát ra"), min_value=0, max_value=1000)
    returned = forms.IntegerField(label=_("Số phiếu thu về"), min_value=0, max_value=1000)
    valid = forms.IntegerField(label=_("Số phiếu hợp lệ"), min_value=0, max_value=1000)
    invalid = forms.IntegerField(label=_("Số phiếu không hợp lệ"), min_value=0, max_value=1000)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidate_fields = []
        for item, candidate in candidates:
            name = f"votes_{candidate.pk}"
            self.fields[name] = forms.IntegerField(
                label=f"{candidate.name} — {item.item.award_type.short_name}",
                min_value=0,
                max_value=1000,
            )
            self.candidate_fields.append((candidate.pk, name))

    def paper(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("issued", "returned", "valid", "invalid")}

    def votes(self) -> dict:
        return {pk: self.cleaned_data[name] for pk, name in self.candidate_fields}


class ProposalSummaryForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    summary = forms.CharField(
        label=_("Tóm tắt kết quả bình xét (in trong Tờ trình)"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Mỗi đoạn một dòng. Để trống: hệ thống ghi một đoạn chung."),
    )


class ProposalLineForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Đơn vị"), coerce=int)
    # A choice among the award types the page has already read (a ModelChoiceField would read
    # them again); cleaned to the AwardType itself.
    award_type = forms.TypedChoiceField(label=_("Danh hiệu, hình thức"), empty_value=None)
    reason = forms.CharField(label=_("Lý do bổ sung"), max_length=500)

    def __init__(self, *args, members, award_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("— Chọn đơn vị —"))] + [
            (u.pk, name) for u, name in members
        ]
        by_pk = {str(a.pk): a for a in award_types}
        field = self.fields["award_type"]
        field.choices = [("", _("— Chọn —"))] + [(pk, str(a)) for pk, a in by_pk.items()]
        field.coerce = by_pk.__getitem__


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ProposalIssueForm(forms.Form):
    number = forms.CharField(label=_("Số"), max_length=20, help_text=_("Số do văn thư cấp."))
    symbol = forms.CharField(label=_("Ký hiệu"), max_length=40, help_text=_("Ví dụ: TTr-KTĐ8."))
    issued_on = forms.DateField(label=_("Ngày ban hành"), widget=DateInput())
    signer_prefix = forms.ChoiceField(
        label=_("Hình thức ký"),
        choices=[("TM.", _("TM. (thay mặt khối)")), ("KT.", _("KT. (ký thay)")), ("", _("Không"))],
        required=False,
    )
    signer_title = forms.CharField(
        label=_("Chức vụ in trên chữ ký"),
        max_length=200,
        required=False,
        help_text=_("Để trống: Khối trưởng / Cụm trưởng."),
    )
    signer_name = forms.CharField(
        label=_("Người ký"), max_length=200, help_text=_("Ví dụ: Thiếu tướng Phan Văn Xựng.")
    )


class ProposalDecisionForm(forms.Form):
    decision_number = forms.CharField(
        label=_("Số quyết định"), max_length=60, help_text=_("Ví dụ: 1234/QĐ-UBND.")
    )
    decision_date = forms.DateField(label=_("Ngày quyết định"), widget=DateInput())
    decision_body = forms.CharField(label=_("Cơ quan quyết định"), max_length=255)
    awarded = forms.MultipleChoiceField(
        label=_("Được khen thưởng"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["awarded"].choices = [
            (str(line.pk), f"{line.unit} — {line.award_type.short_name}") for line in lines
        ]
