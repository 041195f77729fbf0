from django import forms

from notifications.models import KINDS, NotificationSettings


class SettingsForm(forms.ModelForm):
    """One's own choices; a kind of email that cannot concern the account (a
    writer never decides on rights holders' requests) is not offered."""

    class Meta:
        model = NotificationSettings
        fields = list(KINDS)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, permission in KINDS.items():
            if permission is not None and not user.has_perm(permission):
                del self.fields[kind]
