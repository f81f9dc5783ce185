"""How the API says no: always JSON {"detail": …}, never a 500 for bad input.

Ninja's handlers below cover what a view raises; `json_errors_middleware` covers what Django
answers before or around the API's views (an unknown /api/v1/ path, a method the path does not
take, a 500) with its HTML pages.
"""

from collections.abc import Callable
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from relaydesk.cases.errors import DomainError, ToneWarned


class NotFound(Http404):
    """An unknown case, problem or person in the URL; the message is shown as the detail."""


def install(api: NinjaAPI) -> None:
    """Register the handlers on `api` (ninja's own handle HttpError, e.g. 400 for bad JSON)."""

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        body: dict = {"detail": exc.message}
        if exc.fields:
            body["fields"] = exc.fields
        return api.create_response(request, body, status=exc.http_status)

    @api.exception_handler(ToneWarned)
    def tone_warned(request: HttpRequest, exc: ToneWarned) -> HttpResponse:
        body = {"detail": exc.message, "warnings": exc.warnings}
        return api.create_response(request, body, status=exc.http_status)

    @api.exception_handler(NotFound)
    def not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc) or "Not found."}, status=404)

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return api.create_response(request, {"detail": exc.errors}, status=422)

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        detail = f"The request body is larger than the limit of {limit} bytes."
        return api.create_response(request, {"detail": detail}, status=413)

    @api.exception_handler(SuspiciousOperation)
    def suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        return api.create_response(request, {"detail": "Bad request."}, status=400)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = api.create_response(request, {"detail": exc.message}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="relaydesk"'
        return response


API_PREFIX = "/api/"
NOT_JSON_PAGES = ("/api/v1/docs",)  # the browsable docs are a page for people
DETAILS = {
    404: "No such API path. The paths are listed at /api/v1/openapi.json.",
    405: "This path does not take {method}; it takes {allowed}.",
    500: "Something went wrong on our side; it has been logged.",
}


def _detail(request: HttpRequest, response: HttpResponse) -> str:
    template = DETAILS.get(response.status_code)
    if template is None:
        return HTTPStatus(response.status_code).phrase + "."
    return template.format(method=request.method, allowed=_allowed(response))


def _allowed(response: HttpResponse) -> str:
    """The methods a path takes, in one order: ninja keeps them in a set, whose order changes
    from process to process."""
    methods = (m.strip() for m in response.get("Allow", "").split(","))
    return ", ".join(sorted(m for m in methods if m))


def json_errors_middleware(get_response: Callable[[HttpRequest], HttpResponse]):
    """An API error answered by Django itself (HTML) is answered again as JSON {"detail": …}."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if (
            response.status_code < 400
            or not request.path.startswith(API_PREFIX)
            or request.path.startswith(NOT_JSON_PAGES)
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        answer = JsonResponse({"detail": _detail(request, response)}, status=response.status_code)
        if "Allow" in response:
            answer["Allow"] = _allowed(response)
        return answer

    return middleware
