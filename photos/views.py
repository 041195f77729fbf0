from django.views.generic import TemplateView


class PhotoRightsView(TemplateView):
    """The legal notice on photo rights, linked from every article."""

    template_name = "photos/photo_rights.html"
