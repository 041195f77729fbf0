"""One way to show a photo anywhere on the site: with its credit line and a
link to report it, or a neutral placeholder when it may not be shown."""

from django import template

register = template.Library()


@register.inclusion_tag("photos/includes/photo.html")
def photo(photo, css_class="", sizes="100vw", caption=True):
    return {
        "photo": photo,
        "visible": photo is not None and photo.is_visible,
        "css_class": css_class,
        "sizes": sizes,
        "show_caption": caption,
    }


@register.filter
def visible_photo(photo):
    """The photo if readers may see it, else None (for thumbnails and meta tags)."""
    return photo if photo is not None and photo.is_visible else None
