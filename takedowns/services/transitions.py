"""What every state change of a notice shares: the error for a transition the
current state does not allow, the statement of reasons, who may decide, the
lock on the notice, the state check and the audit row (``Event``)."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from takedowns.models import DECIDE_PERMISSION, Event, Notice

Status = Notice.Status
Outcome = Notice.Outcome
SENDER = "sender"  # actor_name of events caused by the sender of the notice
SYSTEM = "system"  # ...and of those done by a scheduled command


class TransitionError(ValidationError):
    """An action that the notice's current state does not allow."""


@dataclass(frozen=True)
class Reasons:
    """A statement of reasons (DSA art. 17): every part is required."""

    measure: str  # the measure taken and its scope (which photos, where)
    facts: str  # the facts and circumstances relied on
    ground: str  # the ground: the rights invoked, the licence, the law

    def __post_init__(self):
        errors = {}
        for field, message in (
            ("measure", _("Décrivez la mesure prise et sa portée.")),
            ("facts", _("Indiquez les faits sur lesquels la décision s'appuie.")),
            ("ground", _("Indiquez le motif de la décision.")),
        ):
            if not (getattr(self, field) or "").strip():
                errors[field] = message
        if errors:
            raise ValidationError(errors)

    def as_text(self) -> str:
        return "\n".join(
            [
                _("Mesure et portée : %s") % self.measure.strip(),
                _("Faits retenus : %s") % self.facts.strip(),
                _("Motif : %s") % self.ground.strip(),
            ]
        )


def can_decide(user) -> bool:
    return bool(user and user.is_active and user.has_perm(DECIDE_PERMISSION))


def _require_decider(user) -> None:
    if not can_decide(user):
        raise PermissionDenied


def _locked(notice: Notice) -> Notice:
    return Notice.objects.select_for_update().get(pk=notice.pk)


def _check_state(notice: Notice, allowed) -> str:
    if notice.status not in allowed:
        raise TransitionError(
            _("Impossible : la demande est « %(status)s ».")
            % {"status": notice.get_status_display()}
        )
    return notice.status


def _require_identity(notice: Notice) -> None:
    if notice.identity_check_needed and not notice.identity_checked_at:
        raise TransitionError(
            _(
                "L'adresse de l'expéditeur ne correspond pas à l'organisation indiquée : "
                "enregistrez d'abord la vérification de son identité."
            )
        )


def _set_reasons(notice: Notice, reasons: Reasons) -> None:
    notice.decision_measure = reasons.measure.strip()
    notice.decision_facts = reasons.facts.strip()
    notice.decision_ground = reasons.ground.strip()


def _decide(notice: Notice, outcome: str, reasons: Reasons) -> None:
    now = timezone.now()
    notice.status = Status.DECIDED
    notice.outcome = outcome
    notice.decided_at = now
    notice.first_measure_at = notice.first_measure_at or now
    _set_reasons(notice, reasons)


def _record(
    notice: Notice,
    *,
    by,
    action: str,
    previous: str,
    reasons: Reasons | None = None,
    note: str = "",
    who: str = SENDER,
) -> Event:
    notice.save()
    actor = by if by is not None and getattr(by, "pk", None) else None
    return Event.objects.create(
        notice=notice,
        actor=actor,
        actor_name=actor.get_username() if actor else who,
        action=action,
        from_status=previous,
        to_status=notice.status,
        reasons=reasons.as_text() if reasons else note.strip(),
    )
