"""The SQL one request of Một Cửa sends, captured for bench/floor.py to replay (issue 16, ``--floor``).

The floor of a read that sends several statements is those same statements sent by a bare Flask app through
SQLAlchemy Core and psycopg, in one transaction, the rows answered as JSON: what the round trips cost on this stack,
with none of Một Cửa's Python around them. Capturing them from the application itself keeps the floor true to
whatever the application sends today.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path


def capture(env: dict, requests: list[tuple[str, str]], into: Path) -> list[str]:
    """Send each (path, bearer token) GET twice through the application in this process and keep the statements
    of the second (the first fills the process's caches, as a warm worker has). Writes {path: [(statement,
    parameters), ...]} to ``into``; returns the paths captured."""
    os.environ.update(env)
    from sqlalchemy import event

    from core import create_app
    from core.extensions import db

    app = create_app()
    with app.app_context():
        engine = db.engine
    sent: list[tuple[str, object]] = []

    @event.listens_for(engine, "before_cursor_execute")
    def keep(conn, cursor, statement, parameters, context, executemany):
        if statement.strip().upper() != "BEGIN":  # the floor's own transaction begins (SQLite sends BEGIN as SQL)
            sent.append((statement, parameters))

    client = app.test_client()
    captured = {}
    for path, token in requests:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        client.get(path, headers=headers)
        sent.clear()
        if client.get(path, headers=headers).status_code == 200:
            captured[path] = list(sent)
    into.write_bytes(pickle.dumps(captured))
    return list(captured)
