from django import forms

from tierdesk.notifications.enums import NotificationKind


class PreferencesForm(forms.Form):
    """One checkbox per kind of mail."""

    def __init__(self, *args, initial_preferences: dict[str, bool], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in NotificationKind:
            self.fields[kind.value] = forms.BooleanField(
                label=kind.label, required=False, initial=initial_preferences[kind]
            )
