from django.db import migrations

SECTIONS = [
    ("News", "news", "L'actualité du cinéma, des séries, des livres et de la musique."),
    ("Critique", "critique", "Nos avis sur les films, séries, livres et disques."),
    ("Interview", "interview", "Entretiens avec celles et ceux qui font les œuvres."),
    ("Dossier", "dossier", "Enquêtes, rétrospectives et grands formats."),
]


def create_sections(apps, schema_editor):
    Section = apps.get_model("articles", "Section")
    for position, (name, slug, description) in enumerate(SECTIONS):
        Section.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(create_sections, migrations.RunPython.noop)]
