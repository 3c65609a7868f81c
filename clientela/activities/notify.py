"""What a reminder leaves: a notification under the bell and, where the installation
configures e-mail (Django's EMAIL_* settings), an e-mail, both in the user's language."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from .models import Activity, Notification, UserAgenda


def user_language(user_id: int) -> str:
    agenda = UserAgenda.objects.filter(user_id=user_id).values_list("language", flat=True).first()
    supported = {code for code, _name in settings.LANGUAGES}
    return agenda if agenda in supported else settings.LANGUAGE_CODE


def notify_reminder(activity: Activity) -> Notification:
    """Called once per activity, by the worker that claimed its reminder."""
    user = activity.assigned_to
    with translation.override(user_language(user.pk)):
        when = date_format(localtime(activity.agenda_at), "SHORT_DATETIME_FORMAT")
        message = _("Reminder: %(activity)s (%(account)s), %(when)s") % {
            "activity": activity,
            "account": activity.account.name,
            "when": when,
        }
        notification = Notification.objects.create(
            user=user, activity=activity, message=message[:300]
        )
        if user.email:
            subject = _("Reminder: %(subject)s") % {"subject": activity.subject}
            body = render_to_string(
                "activities/reminder_email.txt",
                {"activity": activity, "when": when},
            )
            recipient = user.email
            transaction.on_commit(
                lambda: send_mail(subject, body, None, [recipient], fail_silently=False)
            )
    return notification
