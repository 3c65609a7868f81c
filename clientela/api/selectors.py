from datetime import timedelta

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from clientela.users.models import User

from .models import ApiToken, hash_token

# Writing last_used_at on every request would turn every read into a write.
LAST_USED_PRECISION = timedelta(minutes=5)


def api_token_user(token: str) -> User | None:
    """The active user owning this active token, or None."""
    record = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if record is None:
        return None
    now = timezone.now()
    if record.last_used_at is None or now - record.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record.user


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at")


def api_token_get_for_user(user: User, token_id: int) -> ApiToken:
    token = api_tokens_of(user).filter(pk=token_id).first()
    if token is None:
        raise Http404("token")
    return token
