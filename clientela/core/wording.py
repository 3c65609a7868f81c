"""Messages of Django and django-phonenumber-field that our users read, re-worded.

Their Spanish catalogs say "Introduzca…", "Escoja…" and "Asegúrese de que…"; the rest of the
product speaks to the user with one imperative, "Ingrese/Seleccione/Escriba". A catalog in
LOCALE_PATHS wins over an app's own, so listing the message ids here puts them in our catalog
(clientela/locale), where they are translated in the product's register. Nothing imports this
module: `make messages` reads it. The ids must stay exactly the libraries' own.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

DJANGO = (
    gettext_noop("Enter a valid value."),
    gettext_noop("Enter a valid URL."),
    gettext_noop("Enter a valid integer."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("Enter a number."),
    gettext_noop("Enter a whole number."),
    gettext_noop("Enter a valid date."),
    gettext_noop("Enter a valid time."),
    gettext_noop("Enter a valid date/time."),
    gettext_noop("Enter a valid duration."),
    gettext_noop("Enter a list of values."),
    gettext_noop("Enter a complete value."),
    gettext_noop("Enter a valid UUID."),
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices."),
    gettext_noop("Select a valid choice. That choice is not one of the available choices."),
    gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
)

DJANGO_PLURALS = (
    ngettext_lazy(
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit in total.",
        "Ensure that there are no more than %(max)s digits in total.",
        "max",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s decimal place.",
        "Ensure that there are no more than %(max)s decimal places.",
        "max",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit before the decimal point.",
        "Ensure that there are no more than %(max)s digits before the decimal point.",
        "max",
    ),
)

PHONENUMBER_FIELD = (
    gettext_noop("Enter a valid phone number (e.g. {example_number})."),
    gettext_noop("Enter a valid phone number."),
    gettext_noop("The phone number entered is not valid."),
)
