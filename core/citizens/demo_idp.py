"""The demo identity provider of `make run`: oidc-provider-mock (a real OpenID Connect provider built on Authlib)
with invented demo citizens, and pages that say plainly it is a demo.

Never in production: it signs anyone in as any of its citizens. `python -m core.citizens.demo_idp --port 9400`
serves it on 127.0.0.1 in one process (its codes and tokens live in that process's memory, so it must not run under
several gunicorn workers); tests start it on a free port in a thread with ``serve_in_thread``.
"""

from __future__ import annotations

import argparse
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from jinja2 import ChoiceLoader, FileSystemLoader
from werkzeug.debug import DebuggedApplication
from werkzeug.serving import WSGIRequestHandler, make_server

from core.paths import project_folder

# Invented people: names, numbers and addresses belong to nobody (027: Bắc Ninh's prefix, as in the demo history).
DEMO_CITIZENS = (
    {"sub": "demo-nguyen-van-an", "name": "Nguyễn Văn An", "personal_id": "027090000001",
     "birthdate": "1990-03-15", "phone_number": "0900000001",
     "address": {"formatted": "Thôn Đông, Thị trấn Lim, huyện Tiên Du, tỉnh Bắc Ninh"}},
    {"sub": "demo-tran-thi-binh", "name": "Trần Thị Bình", "personal_id": "027092000002",
     "birthdate": "1992-07-20", "phone_number": "0900000002",
     "address": {"formatted": "Xóm Mới, xã Phú Lâm, huyện Tiên Du, tỉnh Bắc Ninh"}},
    {"sub": "demo-le-van-cuong", "name": "Lê Văn Cường", "personal_id": "027085000003",
     "birthdate": "1985-11-02", "phone_number": "0900000003",
     "address": {"formatted": "Thôn Bắc, xã Nội Duệ, huyện Tiên Du, tỉnh Bắc Ninh"}},
)


def build_app(citizens=DEMO_CITIZENS):
    """The provider as a WSGI app, its pages (login form, errors) replaced by ours that say it is a demo."""
    import oidc_provider_mock

    users = [oidc_provider_mock.User(sub=c["sub"], claims={k: v for k, v in c.items() if k != "sub"})
             for c in citizens]
    app = oidc_provider_mock.app(require_nonce=True, user_claims=users)
    # The package turns on Werkzeug's debugger (tracebacks to anyone who asks): not on a page a newcomer opens.
    if isinstance(app.wsgi_app, DebuggedApplication):
        app.wsgi_app = app.wsgi_app.app
    app.debug = False
    ours = FileSystemLoader(str(project_folder("templates") / "citizens" / "demo_idp"))
    app.jinja_loader = ChoiceLoader([ours, app.jinja_loader])
    app.jinja_env.globals["demo_citizens"] = {c["sub"]: c for c in citizens}
    return app


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:  # a test's output stays the test's
        pass


@contextmanager
def serve_in_thread(host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve the demo provider on ``host``:``port`` (0: a free port) until the block ends; yields its issuer URL."""
    server = make_server(host, port, build_app(), threaded=True, request_handler=_Quiet)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="The demo VNeID identity provider of `make run` (never production).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9400)
    args = parser.parse_args(argv)
    if os.environ.get("MOTCUA_ENV") == "production":
        raise SystemExit("The demo identity provider signs anyone in: it does not run with MOTCUA_ENV=production.")
    server = make_server(args.host, args.port, build_app(), threaded=True)
    print(f"Demo VNeID identity provider (invented citizens only) at http://{args.host}:{server.server_port}",
          flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
