"""Forms of the training pages; they parse input, the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tierdesk.knowledge import access as knowledge_access
from tierdesk.knowledge.models import Article
from tierdesk.organization import permissions
from tierdesk.organization.models import Region, RoleCode, User
from tierdesk.trainings import access
from tierdesk.trainings.models import AttendanceStatus, SessionState, TrainingSession


def _people():
    return User.objects.filter(is_active=True, is_service_account=False).select_related("region")


class SessionForm(forms.ModelForm):
    articles = forms.ModelMultipleChoiceField(
        label=_("Articles covered"), queryset=Article.objects.none(), required=False
    )
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attendees"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Staff of the session's region."),
    )

    class Meta:
        model = TrainingSession
        fields = [
            "title",
            "region",
            "trainer",
            "held_on",
            "starts_at",
            "ends_at",
            "location",
            "online",
            "topics",
        ]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}),
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "topics": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        regions = Region.objects.all()
        if not (access.sees_all_regions(user) or permissions.is_line2(user)):
            regions = regions.filter(pk=user.region_id)
        self.fields["region"].queryset = regions
        self.fields["trainer"].queryset = (
            _people()
            .filter(
                roles__code__in=[
                    RoleCode.REGIONAL_SUPPORT,
                    *permissions.LINE2_ROLES,
                    *permissions.SPECIALIST_ROLES,
                ]
            )
            .distinct()
        )
        self.fields["articles"].queryset = knowledge_access.articles_visible_to(user).public()
        attendees = _people().exclude(region=None)
        if not (access.sees_all_regions(user) or permissions.is_line2(user)):
            attendees = attendees.filter(region_id=user.region_id)
        self.fields["attendees"].queryset = attendees
        if self.instance.pk:
            self.fields["articles"].initial = list(self.instance.articles.all())
            self.fields["attendees"].initial = list(self.instance.attendees.all())

    def _post_clean(self):
        # The services validate the session as a whole; the form only parses the fields.
        pass


class SessionFilterForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), required=False
    )
    trainer = forms.ModelChoiceField(
        label=_("Trainer"), queryset=User.objects.none(), required=False
    )
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("Any state")), *SessionState.choices], required=False
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the trainers of sessions this person may see are offered.
        self.fields["trainer"].queryset = User.objects.filter(
            pk__in=access.sessions_visible_to(user).values("trainer_id")
        )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end of the period is before its start."))
        return data


class AttendanceForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none())
    status = forms.ChoiceField(label=_("Attendance"), choices=AttendanceStatus.choices)
    score = forms.IntegerField(label=_("Score"), required=False, min_value=0, max_value=100)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, session: TrainingSession, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _people().filter(region_id=session.region_id)


class MaterialForm(forms.Form):
    file = forms.FileField(label=_("File"))
