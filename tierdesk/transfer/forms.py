"""The upload form of an import."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tierdesk.transfer.models import ImportKind
from tierdesk.transfer.reading import MAX_BYTES

ENCODINGS = [
    ("auto", _("Detect (UTF-8 or GB18030)")),
    ("utf-8", "UTF-8"),
    ("gb18030", _("GB18030 (Chinese Excel)")),
]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=ImportKind.choices)
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("At most %(limit)s MB; the first row holds the column headers.")
        % {"limit": MAX_BYTES // (1024 * 1024)},
    )
    encoding = forms.ChoiceField(
        label=_("Encoding of a CSV file"), choices=ENCODINGS, initial="auto"
    )
    source = forms.CharField(
        label=_("Source system"),
        max_length=100,
        required=False,
        help_text=_(
            "For historical cases: the system they come from. Importing the same reference "
            "from the same source again does not duplicate the case."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB; split it into several files.")
                % {"limit": MAX_BYTES // (1024 * 1024)}
            )
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload
