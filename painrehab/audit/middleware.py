"""Gives each request an audit context and answers with its X-Request-ID."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from painrehab.audit import context


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        ctx = context.from_request(request)
        token = context.activate(ctx)
        try:
            response = self.get_response(request)
        finally:
            context.deactivate(token)
        response["X-Request-ID"] = ctx.request_id
        return response
