"""Small factories for tests. Images are real, generated with Pillow."""

import datetime
import io

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from articles.models import Article, Author, Section
from photos.models import Photo


def jpeg_bytes(width=120, height=80, color=(180, 40, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Rubrique {n}")


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Camille Auteur {n}")


class PhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Photo

    image = factory.LazyFunction(lambda: ContentFile(jpeg_bytes(), name="photo.jpg"))
    title = factory.Sequence(lambda n: f"Photo {n}")
    alt_text = "Une actrice sur un plateau de tournage"
    caption = "Sur le tournage"
    credit = factory.Sequence(lambda n: f"© Studio Lumière / Photo : Jeanne Objectif {n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Une critique numéro {n}")
    standfirst = "Un chapeau qui donne envie de lire la suite."
    body = "<p>Premier paragraphe.</p><p>Second paragraphe.</p>"
    section = factory.SubFactory(SectionFactory, name="Critique")
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if create and extracted:
            self.authors.add(*extracted)


class UserFactory(factory.django.DjangoModelFactory):
    """A staff account in one of the editorial roles (group name), or none."""

    class Meta:
        model = "auth.User"
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"benevole{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    is_staff = True
    password = factory.django.Password("motdepasse-de-test")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            from django.contrib.auth.models import Group

            ensure_roles()
            self.groups.add(Group.objects.get(name=extracted))


WRITER, EDITOR, CHIEF = "Rédacteur", "Éditeur", "Rédacteur en chef"


def ensure_roles() -> None:
    """The editorial groups as the data migrations make them. Transactional tests
    flush the database, groups included; this puts them back when missing."""
    from importlib import import_module

    from django.apps import apps
    from django.contrib.auth.models import Group

    if Group.objects.filter(name__in=[WRITER, EDITOR, CHIEF]).count() == 3:
        return
    import_module("articles.migrations.0005_editorial_roles").create_roles(apps, None)
    import_module("takedowns.migrations.0002_decide_permission").grant(apps, None)
    import_module("imports.migrations.0002_old_address_roles").grant(apps, None)
    import_module("photos.migrations.0004_credit_queue").grant(apps, None)


def named_writer():
    """The writer the editorial tests follow: Élise Plume, with her byline."""
    user = UserFactory(username="ecrivaine", first_name="Élise", last_name="Plume", role=WRITER)
    AuthorFactory(name="Élise Plume", user=user)
    return user


def named_editor():
    """The editor who reviews her articles: Rémi Relit."""
    return UserFactory(username="editeur", first_name="Rémi", last_name="Relit", role=EDITOR)
