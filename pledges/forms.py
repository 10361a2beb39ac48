from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from blocs.forms import DateInput
from core.text import clean_name
from core.uploads import SCAN_KINDS, check_upload
from pledges import references, services, targets
from pledges.models import Movement, SignerPrefix, Target, YearDocument


class ScanField(forms.FileField):
    """A signed scan: PDF or image, checked by its content (core.uploads)."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            try:
                upload.checked_kind = check_upload(upload, allowed=SCAN_KINDS)
            except ValidationError as error:
                raise forms.ValidationError(error.messages) from None
        return upload


class YearDocumentForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(
        label=_("Trích yếu"),
        max_length=500,
        help_text=_(
            "Ví dụ: Kế hoạch công tác thi đua, khen thưởng Cụm thi đua số 7 thành phố Hà Nội năm 2023."
        ),
    )
    theme = forms.CharField(
        label=_("Chủ đề năm"),
        max_length=500,
        required=False,
        help_text=_("Ví dụ: Kỷ cương, trách nhiệm, hành động, sáng tạo, phát triển."),
    )
    summary = forms.CharField(
        label=_("Nội dung chính"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Tóm tắt những điểm chính; văn bản đầy đủ là bản chụp khi ban hành."),
    )

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        if kind != YearDocument.Kind.PLAN:
            del self.fields["theme"]
            self.fields["title"].help_text = _(
                "Ví dụ: Quy chế về tổ chức hoạt động và nguyên tắc bình xét thi đua Cụm thi đua số 7 "
                "thành phố Hà Nội năm 2023."
            )


class SignerFields(forms.Form):
    """Who signed, as the signature block prints it (TM. / KT. lines, title, name)."""

    signer_prefix = forms.ChoiceField(
        label=_("Hình thức ký"), choices=SignerPrefix.choices, required=False
    )
    signer_on_behalf_of = forms.CharField(
        label=_("Thay mặt / ký thay cho"),
        max_length=200,
        required=False,
        help_text=_("Khi ký TM. hoặc KT.: ví dụ “Cụm thi đua số 7”, “Trưởng Ban”."),
    )
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=200)
    signer_name = forms.CharField(label=_("Họ tên người ký"), max_length=200)

    def clean(self):
        data = super().clean()
        prefix = data.get("signer_prefix", "")
        on_behalf_of = clean_name(data.get("signer_on_behalf_of"))
        if prefix and not on_behalf_of:
            self.add_error(
                "signer_on_behalf_of",
                _("Ký “{p}” thì ghi rõ thay mặt / ký thay cho ai.").format(p=prefix),
            )
        if on_behalf_of and not prefix:
            self.add_error(
                "signer_prefix",
                _("Đã ghi “thay mặt / ký thay cho”: hãy chọn hình thức ký TM. hoặc KT."),
            )
        return data


class YearDocumentIssueForm(SignerFields):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reference = forms.CharField(
        label=_("Số, ký hiệu"),
        max_length=120,
        help_text=_("Viết như trên văn bản, ví dụ 972/KH-CTĐ7 hoặc 580/QĐ-CTĐ 7."),
    )
    issued_on = forms.DateField(label=_("Ngày ban hành"), widget=DateInput())
    scan = ScanField(
        label=_("Bản chụp văn bản đã ký, đóng dấu"),
        help_text=_("PDF hoặc ảnh (PNG, JPEG), tối đa 20 MB."),
    )

    field_order = [
        "version",
        "reference",
        "issued_on",
        "signer_prefix",
        "signer_on_behalf_of",
        "signer_title",
        "signer_name",
        "scan",
    ]

    def clean_reference(self):
        reference = references.clean_reference(self.cleaned_data["reference"])
        error = services.reference_error(reference)
        if error:
            raise forms.ValidationError(error)
        return reference


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class MovementForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Tên phong trào"), max_length=500)
    kind = forms.ChoiceField(label=_("Loại"), choices=Movement.Kind.choices)
    launched_by = forms.ChoiceField(label=_("Cấp phát động"), choices=Movement.Launcher.choices)
    launched_by_unit = forms.ModelChoiceField(
        label=_("Đơn vị phát động"),
        queryset=None,
        required=False,
        help_text=_("Chỉ khi một đơn vị thành viên phát động."),
    )
    starts_on = forms.DateField(label=_("Từ ngày"), widget=DateInput(), required=False)
    ends_on = forms.DateField(label=_("Đến ngày"), widget=DateInput(), required=False)
    description = forms.CharField(
        label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["launched_by_unit"].queryset = units
        self.fields["launched_by_unit"].empty_label = _("— Không —")

    def clean(self):
        data = super().clean()
        if data.get("launched_by") == Movement.Launcher.UNIT and not data.get("launched_by_unit"):
            self.add_error("launched_by_unit", _("Hãy chọn đơn vị phát động phong trào."))
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data


class PledgeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Tên văn bản"), max_length=300)
    preamble = forms.CharField(
        label=_("Phần mở đầu"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Mục đích, căn cứ. Số, ngày của Kế hoạch và Quy chế đã ban hành được in tự động."
        ),
    )
    closing = forms.CharField(
        label=_("Phần kết"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Cam kết chung; mỗi đoạn một dòng."),
    )
    conference = forms.ModelChoiceField(
        label=_("Hội nghị ký kết"),
        queryset=None,
        required=False,
        help_text=_(
            "Hội nghị đầu năm đã ghi ở trang khối; để trống rồi ghi ngày, địa điểm bên dưới."
        ),
    )
    signing_on = forms.DateField(label=_("Ngày ký kết"), widget=DateInput(), required=False)
    signing_place = forms.CharField(label=_("Địa điểm ký kết"), max_length=300, required=False)
    presiding_unit = forms.ModelChoiceField(
        label=_("Đơn vị chủ trì"), queryset=None, required=False
    )
    contents_source = forms.CharField(
        label=_("Nguồn nội dung"),
        max_length=500,
        required=False,
        help_text=_("Ghi chú nội bộ, không in: nội dung lấy từ đâu."),
    )

    def __init__(self, *args, units, conferences, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presiding_unit"].queryset = units
        self.fields["presiding_unit"].empty_label = _("— Chọn đơn vị —")
        self.fields["conference"].queryset = conferences
        self.fields["conference"].empty_label = _("— Không chọn —")
        self.fields["conference"].label_from_instance = lambda c: _("Hội nghị ngày {d}{p}").format(
            d=c.held_on.strftime("%d/%m/%Y"), p=f" – {c.place}" if c.place else ""
        )


class CommitmentForm(forms.Form):
    text = forms.CharField(
        label=_("Nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


CommitmentFormSet = forms.formset_factory(CommitmentForm, extra=2)


class DecimalText(forms.CharField):
    """A number as people type it ("90", "90,5", "1.500"), read into a Decimal."""

    def clean(self, value):
        value = super().clean(value)
        if value in (None, ""):
            return None
        number = targets.parse_number(value)
        if number is None:
            raise forms.ValidationError(_("Hãy nhập một số, ví dụ 90 hoặc 2,5."))
        if abs(number) >= 10**12:
            raise forms.ValidationError(_("Số quá lớn."))
        if number.as_tuple().exponent < -3:
            raise forms.ValidationError(_("Nhiều nhất 3 chữ số sau dấu phẩy."))
        return number


class TargetForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(label=_("Chỉ tiêu"), max_length=500, required=False)
    unit = forms.TypedChoiceField(
        label=_("Áp dụng cho"), required=False, coerce=int, empty_value=None
    )
    kind = forms.ChoiceField(
        label=_("Loại"), choices=Target.Kind.choices, initial=Target.Kind.QUANTITATIVE
    )
    comparison = forms.ChoiceField(
        label=_("So sánh"),
        choices=[("", "—"), *Target.Comparison.choices],
        required=False,
        initial=Target.Comparison.AT_LEAST,
    )
    value = DecimalText(label=_("Mức"), required=False, max_length=30)
    measure = forms.CharField(label=_("Đơn vị tính"), max_length=40, required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("Tất cả đơn vị"))] + [(m.pk, m.name) for m in units]
        self.units = {m.pk: m.unit for m in units}

    def clean(self):
        data = super().clean()
        if not clean_name(data.get("text")):
            if self.has_changed() and (data.get("value") is not None or data.get("measure")):
                self.add_error("text", _("Hãy nhập nội dung chỉ tiêu."))
            return data
        if data.get("kind") == Target.Kind.QUANTITATIVE:
            if not data.get("comparison"):
                self.add_error("comparison", _("Chọn ≥, ≤ hoặc =."))
            if data.get("value") is None and "value" not in self.errors:
                self.add_error("value", _("Chỉ tiêu định lượng cần mức, ví dụ 90."))
        return data


class BaseTargetFormSet(forms.BaseFormSet):
    def __init__(self, *args, units=(), **kwargs):
        self.units = units
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"units": self.units}

    @property
    def empty_form(self):
        return self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            units=self.units,
            renderer=self.renderer,
        )

    def target_inputs(self) -> list[services.TargetInput]:
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", {})
            if not data or not clean_name(data.get("text")) or data.get("DELETE"):
                continue
            rows.append(
                services.TargetInput(
                    pk=data.get("id"),
                    text=data["text"],
                    unit=form.units.get(data.get("unit")),
                    kind=data["kind"],
                    comparison=data.get("comparison", ""),
                    value=data.get("value"),
                    measure=data.get("measure", ""),
                )
            )
        return rows


TargetFormSet = forms.formset_factory(
    TargetForm, formset=BaseTargetFormSet, extra=2, can_delete=True
)


class SignatureForm(SignerFields):
    signed_on = forms.DateField(label=_("Ngày thủ trưởng ký"), widget=DateInput())
    scan = ScanField(
        label=_("Bản chụp trang ký"),
        required=False,
        help_text=_("PDF hoặc ảnh (PNG, JPEG), tối đa 20 MB."),
    )

    field_order = [
        "signer_name",
        "signer_title",
        "signer_prefix",
        "signer_on_behalf_of",
        "signed_on",
        "scan",
    ]

    def __init__(self, *args, paper: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if paper:
            self.fields["scan"].required = True
            self.fields["scan"].label = _("Bản chụp trang ký trên giấy")
        self.fields["signer_name"].help_text = _("Thủ trưởng (hoặc cấp phó ký thay) của đơn vị.")


MET_CHOICES = [("", "—"), ("yes", _("Đạt")), ("no", _("Không đạt"))]


class AchievementsForm(forms.Form):
    """One row per target binding the unit: the achieved value (or Đạt / Không đạt), a note."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for target, achievement in rows:
            prefix = f"t{target.pk}"
            self.fields[f"{prefix}_version"] = forms.IntegerField(
                widget=forms.HiddenInput, required=False
            )
            if target.is_quantitative:
                self.fields[f"{prefix}_value"] = DecimalText(
                    label=target.text, required=False, max_length=30
                )
            else:
                self.fields[f"{prefix}_met"] = forms.ChoiceField(
                    label=target.text, choices=MET_CHOICES, required=False
                )
            self.fields[f"{prefix}_note"] = forms.CharField(
                label=_("Ghi chú, nguồn số liệu"), max_length=300, required=False
            )
            if achievement is not None and not self.is_bound:
                self.initial[f"{prefix}_version"] = achievement.version
                self.initial[f"{prefix}_note"] = achievement.note
                if target.is_quantitative:
                    self.initial[f"{prefix}_value"] = targets.format_number(achievement.value)
                elif achievement.judged_met is not None:
                    self.initial[f"{prefix}_met"] = "yes" if achievement.judged_met else "no"
            self.rows.append((target, prefix))

    def bound_rows(self):
        for target, prefix in self.rows:
            main = self[f"{prefix}_value"] if target.is_quantitative else self[f"{prefix}_met"]
            yield target, main, self[f"{prefix}_note"], self[f"{prefix}_version"]

    def inputs(self) -> list[services.AchievementInput]:
        data = self.cleaned_data
        rows = []
        for target, prefix in self.rows:
            met = data.get(f"{prefix}_met")
            rows.append(
                services.AchievementInput(
                    target=target,
                    value=data.get(f"{prefix}_value"),
                    judged_met={"yes": True, "no": False}.get(met),
                    note=data.get(f"{prefix}_note", ""),
                    version=data.get(f"{prefix}_version"),
                )
            )
        return rows
