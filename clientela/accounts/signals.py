"""Signals other modules listen to, so the accounts app needs no knowledge of them."""

from django.dispatch import Signal

# Sent by account_update, inside its transaction, when an account's name changed.
# Modules that keep the account's name in their records' search text refresh it.
# Arguments: account.
account_renamed = Signal()
