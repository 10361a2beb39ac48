from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentVerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Mã kiểm tra in ở chân văn bản"),
        max_length=20,
        help_text=_("10 ký tự, ví dụ 7K3M9Q2XTR; không phân biệt chữ hoa, chữ thường."),
    )
    file = forms.FileField(
        label=_("Tệp văn bản đang có (không bắt buộc)"),
        required=False,
        help_text=_("Chọn tệp PDF để đối chiếu từng byte với bản đã chốt."),
    )

    def clean_code(self):
        # People type what they read off paper: spaces, dashes, lower case, O for 0, I or L for 1.
        code = "".join(ch for ch in self.cleaned_data["code"].upper() if ch.isalnum())
        return code.replace("O", "0").replace("I", "1").replace("L", "1")


class _ListedChoiceIterator(forms.models.ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.objects:
            yield self.choice(obj)

    def __len__(self):
        return len(self.field.objects) + (1 if self.field.empty_label is not None else 0)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.objects)


class ListedModelChoiceField(forms.ModelChoiceField):
    """A choice of objects the view has already read (``choose_from``).

    A ModelChoiceField reads its queryset again for every field that renders it and once more to
    validate; two fields over the same member units cost two or three queries. This one lists and
    validates against the objects it was given, so the page's query count does not depend on how
    many fields offer the same units."""

    iterator = _ListedChoiceIterator
    objects: list = []

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", None)
        super().__init__(*args, **kwargs)

    def choose_from(self, objects, model) -> None:
        self.objects = list(objects)
        self.queryset = model._default_manager.none()  # never read; ModelChoiceField wants one

    def to_python(self, value):
        if value in self.empty_values:
            return None
        key = self.to_field_name or "pk"
        if isinstance(value, models.Model):
            value = getattr(value, key)
        for obj in self.objects:
            if str(getattr(obj, key)) == str(value):
                return obj
        raise forms.ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )
