from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from blocs.models import Bloc, Conference, Unit, VetoCondition
from core.forms import ListedModelChoiceField
from core.text import clean_name


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class BlocFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=200)
    authority = forms.TypedChoiceField(
        label=_("Tỉnh / thành phố"), required=False, coerce=int, empty_value=None
    )
    kind = forms.ChoiceField(
        label=_("Loại"), required=False, choices=[("", _("Tất cả")), *Bloc.Kind.choices]
    )
    year = forms.TypedChoiceField(label=_("Năm"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, authorities, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].choices = [("", _("Tất cả"))] + [
            (a.pk, a.name) for a in authorities
        ]
        self.fields["year"].choices = [("", _("Năm gần nhất"))] + [(y, y) for y in years]


class BlocForm(forms.Form):
    authority = forms.ModelChoiceField(label=_("Tỉnh / thành phố"), queryset=None)
    kind = forms.ChoiceField(label=_("Loại"), choices=Bloc.Kind.choices)
    code = forms.CharField(label=_("Số hiệu"), max_length=40, help_text=_("Ví dụ: VIII, 7, NC."))
    name = forms.CharField(label=_("Tên khối / cụm"), max_length=255)
    rotation_rule = forms.ChoiceField(
        label=_("Cách luân phiên Khối trưởng"), choices=Bloc.Rotation.choices
    )
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    first_year = forms.IntegerField(
        label=_("Năm thi đua đầu tiên"), min_value=2000, max_value=2100, required=False
    )

    def __init__(self, *args, authorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = authorities
        if len(authorities) == 1:
            self.fields["authority"].initial = authorities[0]


class BlocEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Loại"), choices=Bloc.Kind.choices)
    code = forms.CharField(label=_("Số hiệu"), max_length=40)
    name = forms.CharField(label=_("Tên khối / cụm"), max_length=255)
    rotation_rule = forms.ChoiceField(
        label=_("Cách luân phiên Khối trưởng"), choices=Bloc.Rotation.choices
    )
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class MemberAddForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị có sẵn"), queryset=None, required=False)
    new_full_name = forms.CharField(label=_("hoặc tên đơn vị mới"), required=False, max_length=255)
    new_short_name = forms.CharField(label=_("Tên viết tắt"), required=False, max_length=100)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].empty_label = _("— Chọn đơn vị —")

    def clean(self):
        data = super().clean()
        data["new_full_name"] = clean_name(data.get("new_full_name"))
        if not data.get("unit") and not data["new_full_name"]:
            raise forms.ValidationError(_("Hãy chọn một đơn vị có sẵn hoặc nhập tên đơn vị mới."))
        if data.get("unit") and data["new_full_name"]:
            raise forms.ValidationError(_("Chỉ chọn một trong hai: đơn vị có sẵn hoặc đơn vị mới."))
        return data


class MemberRemoveForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), widget=forms.HiddenInput)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ChairTermForm(forms.Form):
    chair = ListedModelChoiceField(label=_("Khối trưởng"))
    vice_chair = ListedModelChoiceField(label=_("Khối phó"), required=False)
    elected_on = forms.DateField(label=_("Ngày bầu"), required=False, widget=DateInput())
    elected_at = forms.CharField(label=_("Tại hội nghị"), required=False, max_length=300)
    term_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, units, bloc, **kwargs):
        """``units``: the member units to choose from, already read (a list)."""
        super().__init__(*args, **kwargs)
        self.fields["chair"].choose_from(units, Unit)
        self.fields["vice_chair"].choose_from(units, Unit)
        self.fields["chair"].label = bloc.chair_word
        self.fields["vice_chair"].label = bloc.vice_chair_word
        self.fields["chair"].empty_label = _("— Chọn đơn vị —")
        self.fields["vice_chair"].empty_label = _("— Chưa bầu —")


class HandoverForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    handover_on = forms.DateField(label=_("Ngày trao cờ"), widget=DateInput())
    from_unit = forms.ModelChoiceField(label=_("Đơn vị trao cờ"), queryset=None, required=False)
    to_unit = forms.ModelChoiceField(label=_("Đơn vị nhận cờ"), queryset=None)

    def __init__(self, *args, from_units, to_units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_unit"].queryset = from_units
        self.fields["to_unit"].queryset = to_units


class ConferenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại hội nghị"), choices=Conference.Kind.choices)
    held_on = forms.DateField(label=_("Ngày tổ chức"), widget=DateInput())
    place = forms.CharField(label=_("Địa điểm"), required=False, max_length=300)
    presiding_unit = forms.ModelChoiceField(
        label=_("Đơn vị chủ trì"), queryset=None, required=False
    )
    presiding_person = forms.CharField(label=_("Người chủ trì"), required=False, max_length=200)
    attendance = forms.CharField(label=_("Thành phần tham dự"), required=False, max_length=500)
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presiding_unit"].queryset = units


class UnitEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    short_name = forms.CharField(label=_("Tên viết tắt"), required=False, max_length=100)
    parent_body = forms.CharField(label=_("Cơ quan chủ quản"), required=False, max_length=255)
    head_title = forms.CharField(label=_("Chức danh thủ trưởng"), required=False, max_length=120)
    address = forms.CharField(label=_("Địa chỉ"), required=False, max_length=300)


class UnitRenameForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    full_name = forms.CharField(label=_("Tên mới"), max_length=255)
    short_name = forms.CharField(label=_("Tên viết tắt mới"), required=False, max_length=100)
    effective_on = forms.DateField(label=_("Có hiệu lực từ ngày"), widget=DateInput())
    reason = forms.CharField(label=_("Căn cứ / lý do"), required=False, max_length=300)


class UnitMergeForm(forms.Form):
    into = forms.ModelChoiceField(label=_("Sáp nhập vào đơn vị"), queryset=None)
    effective_on = forms.DateField(label=_("Có hiệu lực từ ngày"), widget=DateInput())
    reason = forms.CharField(label=_("Căn cứ / lý do"), required=False, max_length=300)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = units


class ImportUploadForm(forms.Form):
    authority = forms.ModelChoiceField(label=_("Tỉnh / thành phố"), queryset=None)
    file = forms.FileField(label=_("Tệp Excel (.xlsx) hoặc CSV"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Checked before the file is read: the size Django already knows from the request.
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("Tệp lớn hơn %(n)s MB; hãy chia nhỏ.") % {"n": settings.IMPORT_MAX_BYTES // 2**20}
            )
        return upload

    def __init__(self, *args, authorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = authorities
        if len(authorities) == 1:
            self.fields["authority"].initial = authorities[0]


def _count(label):
    return forms.IntegerField(label=label, required=False, min_value=0, max_value=10_000_000)


class UnitYearFactsForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    headcount = _count(_("Tổng số người"))
    women = _count(_("Số nữ"))
    completed_tasks = _count(_("Số người hoàn thành nhiệm vụ trở lên"))
    advanced_workers = _count(_("Số người đạt Lao động tiên tiến"))
    emulation_fighters = _count(_("Số người đạt Chiến sĩ thi đua cơ sở"))
    disciplined_warning_or_above = _count(_("Số người bị kỷ luật từ cảnh cáo trở lên"))
    source = forms.CharField(
        label=_("Nguồn số liệu"),
        required=False,
        max_length=300,
        help_text=_("Ví dụ: Báo cáo tổng kết năm của đơn vị, số 25/BC-VKS ngày 05/12/2022."),
    )


class VetoConditionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=VetoCondition.Kind.choices)
    description = forms.CharField(
        label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    source = forms.CharField(
        label=_("Căn cứ"),
        max_length=300,
        help_text=_("Văn bản ghi nhận, ví dụ: Quyết định số 15/QĐ-UBKT ngày 02/3/2022."),
    )
    recorded_on = forms.DateField(label=_("Ngày ghi nhận"), widget=DateInput())


class VetoLiftForm(forms.Form):
    lifted_on = forms.DateField(label=_("Ngày chấm dứt"), widget=DateInput())
    reason = forms.CharField(label=_("Lý do chấm dứt"), max_length=300)
