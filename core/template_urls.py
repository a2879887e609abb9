"""Templates' ``url_for``, remembered: the links every page repeats (the layout's menus, the stylesheet, a form's
action) are built once per address prefix instead of on every request (issue 16: nine links on the tracking page cost
about a tenth of its rendering).

A link is remembered only when it cannot depend on anything but what its key holds: an absolute endpoint name, plain
string or integer arguments, none of ``url_for``'s options (``_external``, ``_anchor``, …), no URL defaults function
registered, and the request's script root, host and scheme in the key. Anything else is built as before.
"""

from __future__ import annotations

from functools import lru_cache

from flask import Flask, request
from flask.globals import request_ctx

_PLAIN = (str, int)


def install(app: Flask) -> None:
    build = app.url_for

    @lru_cache(maxsize=2048)  # bounded: links that carry a code or a slug are many
    def built(_script: str, _host: str, _scheme: str, endpoint: str, arguments: tuple) -> str:
        return build(endpoint, **dict(arguments))

    def url_for(endpoint: str, **values) -> str:
        if endpoint[:1] == "." or app.url_default_functions or not request_ctx \
                or any(name[:1] == "_" or type(value) not in _PLAIN for name, value in values.items()):
            return build(endpoint, **values)
        environ = request.environ
        return built(environ.get("SCRIPT_NAME", ""), environ.get("HTTP_HOST", ""), environ.get("wsgi.url_scheme", ""),
                     endpoint, tuple(sorted(values.items())))

    app.jinja_env.globals["url_for"] = url_for
