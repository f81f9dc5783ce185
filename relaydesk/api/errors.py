"""How the API says no: always JSON {"detail": …}, never a 500 for bad input."""

from django.http import Http404, HttpRequest, HttpResponse
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

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = api.create_response(request, {"detail": exc.message}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="relaydesk"'
        return response
