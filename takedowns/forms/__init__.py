"""The public notice form and the forms of the decision page. Every message is
meant for someone who is not a lawyer nor a developer, in French.

``evidence`` holds the proof files, ``notice`` the public notice form and the
tracking page's message, ``decision`` the decision page's forms, ``pictures``
the form finding one's photos from the picture. Every name is importable from
here, as ``takedowns.forms.<name>``."""

from takedowns.forms.decision import (
    CreditForm,
    HideForm,
    IdentityCheckForm,
    PhotoChoiceMixin,
    ReasonsForm,
    RequestInformationForm,
    RestoreForm,
    VerifyForm,
    WithdrawForm,
)
from takedowns.forms.evidence import (
    EVIDENCE_ACCEPT,
    EVIDENCE_TYPES,
    EvidenceField,
    MultipleFileInput,
    check_evidence,
)
from takedowns.forms.notice import NoticeForm, TrackingMessageForm
from takedowns.forms.pictures import LookupForm, PicturesField

__all__ = [
    "EVIDENCE_ACCEPT",
    "EVIDENCE_TYPES",
    "CreditForm",
    "EvidenceField",
    "HideForm",
    "IdentityCheckForm",
    "LookupForm",
    "MultipleFileInput",
    "NoticeForm",
    "PhotoChoiceMixin",
    "PicturesField",
    "ReasonsForm",
    "RequestInformationForm",
    "RestoreForm",
    "TrackingMessageForm",
    "VerifyForm",
    "WithdrawForm",
    "check_evidence",
]
