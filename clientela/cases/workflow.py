"""How a case moves between statuses.

    from \\ to         new  in_progress  waiting_customer  resolved  closed
    new                 ·       yes            yes            yes*      no
    in_progress         no       ·             yes            yes*      no
    waiting_customer    no      yes             ·             yes*      no
    resolved            no      yes (reopen)   no              ·        yes
    closed              no      yes (reopen)   no             no         ·

    * needs a resolution (the text of how it was solved).

- A case is closed only once resolved: resolving says what was done, closing says the
  customer (or the agent) confirmed it; both keep the resolution and resolved_at.
- Reopening (resolved or closed -> in_progress) clears resolved_at and the resolution;
  the history entry of the reopen keeps the old resolution.
- Nothing goes back to `new`: a case that someone has touched is no longer new.
"""

from django.utils.translation import gettext_lazy as _

from .models import DONE_STATUSES, Case

S = Case.Status

TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.NEW: (S.IN_PROGRESS, S.WAITING_CUSTOMER, S.RESOLVED),
    S.IN_PROGRESS: (S.WAITING_CUSTOMER, S.RESOLVED),
    S.WAITING_CUSTOMER: (S.IN_PROGRESS, S.RESOLVED),
    S.RESOLVED: (S.IN_PROGRESS, S.CLOSED),
    S.CLOSED: (S.IN_PROGRESS,),
}

# What the button for a move says on the case page.
ACTION_LABELS = {
    S.IN_PROGRESS: _("Start working"),
    S.WAITING_CUSTOMER: _("Wait for the customer"),
    S.RESOLVED: _("Resolve"),
    S.CLOSED: _("Close"),
}
REOPEN_LABEL = _("Reopen")
RESUME_LABEL = _("Resume")


def allowed_targets(status: str) -> tuple[str, ...]:
    return TRANSITIONS.get(status, ())


def can_move(source: str, target: str) -> bool:
    return target in allowed_targets(source)


def is_reopen(source: str, target: str) -> bool:
    return source in DONE_STATUSES and target not in DONE_STATUSES


def needs_resolution(target: str) -> bool:
    """Resolving asks for the resolution; closing a resolved case already has one."""
    return target == S.RESOLVED


def action_label(source: str, target: str) -> str:
    if is_reopen(source, target):
        return str(REOPEN_LABEL)
    if source == S.WAITING_CUSTOMER and target == S.IN_PROGRESS:
        return str(RESUME_LABEL)
    return str(ACTION_LABELS[S(target)])
