"""Sending, through the project's one task interface (django-tasks)."""

from django.core.mail import EmailMessage, get_connection
from django_tasks import task


@task()
def send_each(subject: str, body: str, recipients: list[str]) -> int:
    """One plain-text email per recipient, from DEFAULT_FROM_EMAIL: volunteers
    never see each other's addresses. Returns the number sent."""
    messages = [EmailMessage(subject, body, None, [address]) for address in recipients]
    return get_connection().send_messages(messages) or 0
