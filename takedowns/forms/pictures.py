"""The form that finds where the site shows a rights holder's pictures."""

import os

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from photos import lookup as photo_lookup
from photos import validation
from photos.validation import megabytes
from takedowns import lookup
from takedowns.forms.evidence import MultipleFileInput


class PicturesField(forms.FileField):
    """Several pictures; the form checks them together (count, size, content)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        return [f for f in (data if isinstance(data, list | tuple) else [data]) if f]


class LookupForm(forms.Form):
    """Pictures sent to find where the site shows them. Each is checked as an
    editor's upload is (same messages) and reduced to its lookup hashes; the
    file itself is dropped with the request."""

    pictures = PicturesField(
        label=gettext_lazy("Vos images"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": validation.ACCEPT_ATTRIBUTE}),
        help_text=gettext_lazy(
            "JPEG, PNG, WebP ou GIF, %(files)s images au plus. Une copie plus petite, "
            "recadrée ou retournée convient."
        ),
    )

    def __init__(self, *args, handler=None, **kwargs):
        self.handler = handler
        super().__init__(*args, **kwargs)
        field = self.fields["pictures"]
        field.help_text = field.help_text % {"files": lookup.MAX_PICTURES}

    def clean_pictures(self):
        files = self.cleaned_data["pictures"]
        handler = self.handler
        count = handler.count if handler is not None else len(files)
        if count > lookup.MAX_PICTURES:
            raise ValidationError(
                _("%(n)d fichiers au plus.") % {"n": lookup.MAX_PICTURES}, code="count"
            )
        errors = []
        for name, size in handler.too_large if handler is not None else []:
            errors.append(
                _("« %(name)s » : %(error)s")
                % {
                    "name": os.path.basename(name),
                    "error": _("Le fichier est trop lourd (%(size)s) : la limite est de %(limit)s.")
                    % {"size": megabytes(size), "limit": megabytes(lookup.max_bytes())},
                }
            )
        queries = []
        for upload in files:
            try:
                queries.append(photo_lookup.analyse(upload))
            except ValidationError as error:
                errors += [
                    _("« %(name)s » : %(error)s")
                    % {"name": os.path.basename(upload.name or ""), "error": message}
                    for message in error.messages
                ]
        if errors:
            raise ValidationError(errors)
        if not queries:
            raise ValidationError(_("Choisissez au moins une image."), code="required")
        return queries
