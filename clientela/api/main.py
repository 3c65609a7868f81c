"""The JSON API under /api/v1/ (SPEC §10). Each app's apis.py holds its router; this
module mounts them and owns authentication and the error format."""

from typing import Any

from ninja import NinjaAPI
from ninja.operation import Operation

from clientela.accounts.apis import router as accounts_router
from clientela.activities.apis import router as activities_router
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


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


class ClientelaAPI(NinjaAPI):
    """Ninja's API with what generated clients need (issue 14): short stable operation ids
    (`list_accounts` → `listAccounts`, the view's name, unique across routers — a test
    says so) and parameter examples written as OpenAPI wants them."""

    def get_openapi_operation_id(self, operation: Operation) -> str:
        return _camel(operation.view_func.__name__)

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                for parameter in operation.get("parameters", ()):
                    # Ninja copies a field's JSON-schema `examples` (a list) to the
                    # parameter, where OpenAPI wants a map of Example objects: keep the
                    # first as `example` (the schema keeps the list).
                    examples = parameter.get("examples")
                    if isinstance(examples, list):
                        del parameter["examples"]
                        if examples:
                            parameter["example"] = examples[0]
        return schema


api = ClientelaAPI(
    title="Clientela API",
    version="1",
    description=(
        "JSON API of Clientela. Authenticate with `Authorization: Bearer TOKEN` "
        "(`python manage.py create_api_token USERNAME`, or the API tokens page of the user "
        "menu) or with the browser session (writes need the CSRF token). Lists answer "
        '`{"count": N, "items": [...]}` and take `page`, `page_size` (max 200), the '
        "list's filters and `q`; a role without the export permission (Consulta, SPEC §7: "
        "no export) pages at most 50 items at a time (422 on `page_size`) and may not "
        "download vCards (403). Error messages follow `Accept-Language` (Spanish by "
        "default, `en`). Errors: 422 "
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
api.add_router("/activities", activities_router)
api.add_router("/cases", cases_router)
api.add_router("/catalogs", catalogs_router)
api.add_router("/contacts", contacts_router)
api.add_router("/users", users_router)
api.add_router("/opportunities", opportunities_router)
api.add_router("", documents_router)
