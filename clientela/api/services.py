from django.db import transaction
from django.utils import timezone

from clientela.users.models import User

from .models import ApiToken, hash_token, new_token


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the record and the token, which is not kept."""
    token = new_token()
    record = ApiToken.objects.create(
        user=user, name=name.strip()[:100] or "API", prefix=token[:8], key_hash=hash_token(token)
    )
    return record, token


@transaction.atomic
def api_token_revoke(*, user: User, token: ApiToken) -> None:
    if token.user_id != user.pk:
        raise PermissionError("not your token")
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
