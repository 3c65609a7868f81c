"""Keeps the accounts' copies of related names (customer_type_name, salesperson_name)
in step when a customer type or a user is renamed. Accounts being saved derive them in
Account.save(); the bulk writer computes them for its rows."""

from typing import Any

from django.db.models.signals import post_save

from clientela.catalogs.models import CustomerType
from clientela.users.models import User

from .models import Account, salesperson_display_name

_USER_NAME_FIELDS = frozenset({"first_name", "last_name", "username"})


def _customer_type_saved(sender: Any, instance: CustomerType, **kwargs: Any) -> None:
    name = instance.name[:100]
    Account.objects.filter(customer_type=instance).exclude(customer_type_name=name).update(
        customer_type_name=name
    )


def _user_saved(sender: Any, instance: User, update_fields: Any = None, **kwargs: Any) -> None:
    # A login saves last_login only: nothing to refresh, and no query.
    if kwargs.get("created") or (
        update_fields is not None and not _USER_NAME_FIELDS & set(update_fields)
    ):
        return
    name = salesperson_display_name(instance)
    Account.objects.filter(salesperson=instance).exclude(salesperson_name=name).update(
        salesperson_name=name
    )


def connect() -> None:
    post_save.connect(_customer_type_saved, sender=CustomerType, dispatch_uid="account_type_name")
    post_save.connect(_user_saved, sender=User, dispatch_uid="account_salesperson_name")
