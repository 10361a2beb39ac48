from django import forms
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
