"""The editor-in-chief's queue and decision page. Everything here requires the
permission "takedowns.decide_notice" (given to the "Rédacteur en chef" group):
writers and editors without it see neither the queue, nor the evidence, nor the
audit trail, and a forged POST to an action is refused before anything runs.

``notices`` holds the queue and the decision page, ``actions`` what each action
of that page does and when it is offered, ``events`` the audit trail. Importing
this package registers both admins."""

from takedowns.admin.actions import ACTIONS, AVAILABLE, TITLES
from takedowns.admin.events import EventAdmin
from takedowns.admin.notices import NoticeAdmin, OverdueFilter

__all__ = ["ACTIONS", "AVAILABLE", "TITLES", "EventAdmin", "NoticeAdmin", "OverdueFilter"]
