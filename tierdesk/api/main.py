"""The one NinjaAPI of tierdesk."""

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema
from ninja.security import django_auth

from tierdesk.api import errors
from tierdesk.api.cases import problems_router
from tierdesk.api.cases import router as cases_router
from tierdesk.api.organization import router as organization_router

# Browser sessions today (CSRF enforced on unsafe methods); append a token auth here later.
AUTH = [django_auth]


class TierdeskAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs) -> OpenAPISchema:
        """Document error responses with the media type they are served as."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        response["content"] = {
                            errors.PROBLEM_CONTENT_TYPE: content["application/json"]
                        }
        return schema


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
