from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from clientela.core.forms import add_service_errors

from . import services
from .auth import current_user
from .forms import UserCreateForm, UserEditForm
from .roles import admin_required
from .selectors import user_get_for_admin, user_list, user_search


@require_GET
def user_autocomplete(request: HttpRequest) -> HttpResponse:
    """Options for a user <datalist>: never a <select> of every user (SPEC §11)."""
    # The input sends its own name (e.g. salesperson=ana); `field` says which one it is.
    field = request.GET.get("field", "q")
    ctx = {"users": user_search(request.GET.get(field, ""))}
    return render(request, "users/user_options.html", ctx)


@admin_required
@require_GET
def user_list_view(request: HttpRequest) -> HttpResponse:
    ctx = {"users": user_list()}
    return render(request, "users/user_list.html", ctx)


@admin_required
@require_http_methods(["GET", "POST"])
def user_create_view(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(by=current_user(request), **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("User %(username)s created.") % {"username": user.username})
            return redirect("user_list")
    status = 422 if request.method == "POST" else 200
    return render(request, "users/user_form.html", {"form": form, "target": None}, status=status)


@admin_required
@require_http_methods(["GET", "POST"])
def user_edit_view(request: HttpRequest, username: str) -> HttpResponse:
    target = user_get_for_admin(username)
    initial = {
        "first_name": target.first_name,
        "last_name": target.last_name,
        "email": target.email,
        "role": target.role,
        "is_active": target.is_active,
    }
    form = UserEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        password = data.pop("password")
        try:
            services.user_update(by=current_user(request), user=target, data=data)
            if password:
                services.user_set_password(by=current_user(request), user=target, password=password)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("User %(username)s saved.") % {"username": username})
            return redirect("user_list")
    status = 422 if request.method == "POST" else 200
    return render(request, "users/user_form.html", {"form": form, "target": target}, status=status)
