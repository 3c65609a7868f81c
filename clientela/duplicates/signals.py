"""Blocking keys follow every saved or deleted account and contact (a bulk write, such as
an import, is caught up by the next incremental scan)."""

from typing import Any

from django.db.models.signals import post_delete, post_save

from clientela.accounts.models import Account
from clientela.contacts.models import Contact

from .models import Kind


def _saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    from . import keys

    keys.refresh(Kind.ACCOUNT if sender is Account else Kind.CONTACT, [instance.pk])


def _deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    from . import keys

    keys.forget(Kind.ACCOUNT if sender is Account else Kind.CONTACT, instance.pk)


def connect() -> None:
    for model in (Account, Contact):
        post_save.connect(_saved, sender=model, dispatch_uid=f"duplicates-saved-{model.__name__}")
        post_delete.connect(
            _deleted, sender=model, dispatch_uid=f"duplicates-deleted-{model.__name__}"
        )
