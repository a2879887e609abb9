"""Malformed input answers 4xx, never 500 (SEC-11): checks that hold for every request, before any view runs.

- JSON: NaN, Infinity and numbers too large for a float are refused as invalid JSON (Python's parser accepts them and
  they break arithmetic and the database); integers beyond 64 bits too (no database column holds them); nesting deeper
  than ``MAX_JSON_DEPTH`` and recursion inside the parser are refused instead of crashing.
- Text: a NUL character or a lone UTF-16 surrogate anywhere in the path, the query, a form or the JSON body is refused
  (PostgreSQL cannot store either, and a surrogate cannot even be encoded).
- URL integers (``<int:…>``) beyond a 32-bit database id are "not found", not an overflow in the query.

API requests get the documented error body (``{"error": {"code", "message", "fields"}}``); pages get the error page.
"""

from __future__ import annotations

import json
import math

from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest, UnsupportedMediaType
from werkzeug.routing import IntegerConverter

MAX_JSON_DEPTH = 32
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MAX_JSON_INT = 2**63 - 1
MAX_URL_INT = 2**31 - 1  # ids are 32-bit integer columns


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("number out of range")
    return value


def _bounded_int(text: str) -> int:
    value = int(text)
    if abs(value) > MAX_JSON_INT:
        raise ValueError("integer out of range")
    return value


class StrictJSONProvider(DefaultJSONProvider):
    """The app's JSON: standard JSON only when reading (Flask reports a ValueError as a 400)."""

    def loads(self, s, **kwargs):
        kwargs.setdefault("parse_constant", _refuse_constant)
        kwargs.setdefault("parse_float", _finite_float)
        kwargs.setdefault("parse_int", _bounded_int)
        try:
            return json.loads(s, **kwargs)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None


class BoundedIntConverter(IntegerConverter):
    """``<int:…>`` that matches only what fits the database's integer ids."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_URL_INT)
        super().__init__(map, *args, **kwargs)


class MalformedInput(BadRequest):
    """Input refused before any view (answered by ``install``'s handler, for routed and unrouted URLs alike)."""

    def __init__(self, code: str, message: str, field: str | None = None):
        super().__init__(description=message)
        self.error_code, self.message, self.field = code, message, field


def _unstorable(field: str | None) -> MalformedInput:
    return MalformedInput("invalid_text", _("Dữ liệu chứa ký tự không hợp lệ (ký tự NUL hoặc mã Unicode hỏng)."), field)


def bad_text(value: str) -> bool:
    if "\x00" in value:
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _walk_json(payload) -> str | None:
    """The first problem of a parsed JSON body ("depth" or the key path of bad text), else None. Iterative."""
    stack = [(payload, "", 1)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return "depth"
        if isinstance(value, str):
            if bad_text(value):
                return path or "body"
        elif isinstance(value, dict):
            for key, item in value.items():
                if bad_text(key):
                    return f"{path}.{key!r}" if path else repr(key)
                stack.append((item, f"{path}.{key}" if path else key, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, f"{path}[{i}]", depth + 1) for i, item in enumerate(value))
    return None


def _check_request() -> None:
    req = request._get_current_object()  # one context lookup instead of one per attribute (issue 16)
    environ = req.environ
    if bad_text(req.path):
        raise _unstorable(None)
    body = req.method in _BODY_METHODS
    # request.form parses the body: only requests that can carry one (a GET's form is empty; building it costs).
    sources = ((req.args,) if environ.get("QUERY_STRING") else ()) + ((req.form,) if body else ())
    for source in sources:
        for key, values in source.lists():
            # A multipart part whose name werkzeug cannot read (a bare CR in it) comes out with the name None.
            if key is None or bad_text(key):
                raise _unstorable(None)
            if any(bad_text(v) for v in values):
                raise _unstorable(key)
    if not environ.get("CONTENT_TYPE") or not req.is_json:
        return
    if body and not req.path.startswith(("/api/", "/healthz")):
        # Pages take form posts only. Flask-WTF would read a JSON body as the form's data, and a body that is not an
        # object ("text", 12) makes it fail with a 500.
        raise UnsupportedMediaType(_("Trang này chỉ nhận dữ liệu biểu mẫu, không nhận JSON."))
    if req.content_length:
        payload = req.get_json(silent=True)  # invalid JSON is the view's to answer (400 bad_json)
        problem = _walk_json(payload) if payload is not None else None
        if problem == "depth":
            raise MalformedInput("bad_json", _("Dữ liệu JSON lồng nhau quá sâu."))
        if problem:
            raise _unstorable(problem)


def install(app: Flask) -> None:
    """Call before any blueprint is registered (the ``int`` converter is bound when rules are added)."""
    app.json = StrictJSONProvider(app)
    app.url_map.converters["int"] = BoundedIntConverter
    app.before_request(_check_request)

    @app.errorhandler(MalformedInput)
    def malformed(exc: MalformedInput):
        if request.path.startswith("/api/"):
            from core.api.errors import error_response

            fields = {exc.field: _("Ký tự không hợp lệ.")} if exc.field else {}
            return error_response(400, exc.error_code, exc.message, fields)
        from flask import render_template

        return render_template("errors/error.html", error=exc), 400
