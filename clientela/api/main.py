"""The JSON API under /api/v1/ (SPEC §10). Each app's apis.py holds its router; this
module mounts them and owns authentication and the error format."""

from ninja import NinjaAPI

from clientela.accounts.apis import router as accounts_router
from clientela.cases.apis import router as cases_router
from clientela.catalogs.apis import router as catalogs_router
from clientela.contacts.apis import router as contacts_router
from clientela.documents.apis import router as documents_router
from clientela.duplicates.apis import router as duplicates_router
from clientela.imports.apis import router as imports_router
from clientela.opportunities.apis import router as opportunities_router
from clientela.users.apis import router as users_router

from . import errors
from .auth import BearerToken, BrowserSession

api = NinjaAPI(
    title="Clientela API",
    version="1",
    description=(
        "JSON API of Clientela. Authenticate with `Authorization: Bearer TOKEN` "
        "(`python manage.py create_api_token USERNAME`, or the API tokens page of the user "
        "menu) or with the browser session (writes need the CSRF token). Lists answer "
        '`{"count": N, "items": [...]}` and take `page`, `page_size` (max 200), the '
        "list's filters and `q`. Errors: 422 "
        '`{"detail": ..., "errors": {field: [messages]}}`, 401, 403, 404, and 409 for a '
        "duplicate tax id or a stale version (send `version` or `If-Match`)."
    ),
    urls_namespace="api",
    auth=[BearerToken(), BrowserSession()],
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api, body_param_names={"payload"})

# Before the accounts router: /accounts/export is not an account's code.
api.add_router("", imports_router)
api.add_router("", duplicates_router)
api.add_router("/accounts", accounts_router)
api.add_router("/cases", cases_router)
api.add_router("/catalogs", catalogs_router)
api.add_router("/contacts", contacts_router)
api.add_router("/users", users_router)
api.add_router("/opportunities", opportunities_router)
api.add_router("", documents_router)
