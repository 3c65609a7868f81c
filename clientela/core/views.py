from django.contrib.auth.decorators import login_not_required
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

# The login page has the language switcher too, so it must work before login.
language_switch = login_not_required(require_POST(set_language))
