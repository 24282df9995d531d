"""The one NinjaAPI of tierdesk."""

from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema
from ninja.security import HttpBearer, SessionAuth

from tierdesk.api import errors, tokens
from tierdesk.api.cases import problems_router
from tierdesk.api.cases import router as cases_router
from tierdesk.api.organization import router as organization_router


class TokenAuth(HttpBearer):
    """`Authorization: Bearer tdk_...`: a personal API token acts as its owner, nothing more."""

    def authenticate(self, request: HttpRequest, token: str):
        user = tokens.authenticate_token(token, now=timezone.now())
        if user is not None:
            # Code that reads request.user (access rules, language) sees the token's owner.
            request.user = user
        return user


class BrowserSessionAuth(SessionAuth):
    """The browser's session, CSRF-checked on unsafe methods; silent when there is no session.

    Ninja's SessionAuth checks CSRF before looking for the cookie, so a token client (which has
    no cookie and no CSRF token) would get 403 before its token was even read.
    """

    def _get_key(self, request: HttpRequest) -> str | None:
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)


# A bearer token, when sent, decides; otherwise the browser session.
AUTH = [TokenAuth(), BrowserSessionAuth()]


class TierdeskAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs) -> OpenAPISchema:
        """Document every error an operation can give, with the media type it is served as.

        Some errors come from the framework, not the view: 401 from auth, 422 from parsing
        parameters and bodies, 404 from a path that matches no record. Declaring them here
        keeps every router honest without repeating them on each operation.
        """
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, response in responses.items():
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        response["content"] = {
                            errors.PROBLEM_CONTENT_TYPE: content["application/json"]
                        }
                parameters = operation.get("parameters", [])
                implied = {
                    "401": bool(operation.get("security")),
                    "404": any(p.get("in") == "path" for p in parameters),
                    "422": bool(parameters or operation.get("requestBody")),
                }
                for status, applies in implied.items():
                    if applies and status not in responses:
                        responses[status] = _problem_response(errors.CODES_BY_STATUS[status])
        return schema


def _problem_response(description: str) -> dict:
    return {
        "description": description,
        "content": {
            errors.PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}
        },
    }


api = TierdeskAPI(
    title="tierdesk API",
    version="1",
    description="Three-line after-sales support cases. Errors are RFC 9457 problem+json.",
    urls_namespace="api",
    auth=AUTH,
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("/cases", cases_router)
api.add_router("/problems", problems_router)
api.add_router("/organization", organization_router)
api.add_router("/errors", errors.router)
api.add_router("/tokens", "tierdesk.api.api_tokens.router")
api.add_router("/me/notifications", "tierdesk.api.notifications.router")
api.add_router("/webhooks", "tierdesk.api.webhooks.router")
api.add_router("/mail", "tierdesk.api.mailin.router")
api.add_router("/onsite", "tierdesk.api.onsite.router")
api.add_router("/quality-feedback", "tierdesk.api.quality.router")
api.add_router("/vendor-coordination", "tierdesk.api.vendors.router")
api.add_router("/follow-ups", "tierdesk.api.followups.router")
api.add_router("/knowledge", "tierdesk.api.knowledge.router")
api.add_router("/reports", "tierdesk.api.reports.router")
api.add_router("/trainings", "tierdesk.api.trainings.router")
api.add_router("/transfer", "tierdesk.api.transfer.router")
