"""Background work of rights holders' requests, through the project's one task
interface (django-tasks; ``django.tasks`` from Django 6)."""

from django.core.mail import send_mail
from django_tasks import task


@task()
def send_email(subject: str, body: str, recipients: list[str]) -> int:
    """Send one plain-text email from DEFAULT_FROM_EMAIL; returns the number sent."""
    return send_mail(subject, body, None, recipients)
