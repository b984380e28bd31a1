"""Form targets that take POST only: a GET on one (an address reloaded, bookmarked or typed after a
form was sent) goes back to the page the form lives on, instead of a bare "405 Method Not Allowed"."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse

View = Callable[..., HttpResponse]


def post_or_back(page: str, *url_kwargs: str) -> Callable[[View], View]:
    """POST goes to the view; GET and HEAD are sent to the URL named `page`, built from the view's
    keyword arguments named in `url_kwargs` (e.g. the case id); other methods get a 405."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in ("GET", "HEAD"):
                return redirect(reverse(page, kwargs={k: kwargs[k] for k in url_kwargs}))
            if request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
