"""The floor for bench/http_bench.py --floor: the least this stack can do for a database-backed answer.

A bare Flask app served by gunicorn as Một Cửa is, with SQLAlchemy Core and psycopg on the same database, and no
ORM, throttle, session, translation or template. ``/healthz`` runs ``SELECT 1``; ``/api/v1/track/<code>?phone=``
reads the same rows as the tracking API (the dossier with its units' names and rating, then its public history) in
two hand-written statements and answers them as JSON. With ``FLOOR_REPLAY`` (bench/replay.py), a request for one of
the captured paths sends the statements Một Cửa sent for it, in one transaction, and answers their rows as JSON.
Everything else answers like bench/hello.py. Transactions end with COMMIT, so that psycopg keeps its prepared
statements (Một Cửa's read-only requests do the same, core/read_commit.py).

What separates the hello-world ceiling from this floor is the price of Flask + SQLAlchemy + psycopg + PostgreSQL on
this machine, which no change inside Một Cửa can remove; what separates this floor from Một Cửa is ours.
"""

import json
import os
import pickle
from pathlib import Path

from flask import Flask, abort, jsonify, request
from sqlalchemy import create_engine, text

app = Flask(__name__)
engine = create_engine(os.environ["DATABASE_URL"], pool_size=5, max_overflow=0)
REPLAY = pickle.loads(Path(os.environ["FLOOR_REPLAY"]).read_bytes()) if os.environ.get("FLOOR_REPLAY") else {}

DOSSIER = text(
    "SELECT d.id, d.code, d.procedure_key, d.status, d.applicant_phone, d.received_at, d.due_at, "
    "d.extended_due_at, d.returned_at, r.name AS receiving_name, c.name AS competent_name, ra.level AS rating "
    "FROM dossiers d JOIN units r ON r.id = d.receiving_unit_id JOIN units c ON c.id = d.competent_unit_id "
    "LEFT JOIN ratings ra ON ra.dossier_id = d.id WHERE d.code = :code LIMIT 1")
HISTORY = text(
    "SELECT e.at, e.action, u.name AS to_unit_name FROM dossier_events e LEFT JOIN units u ON u.id = e.to_unit_id "
    "WHERE e.dossier_id = :id AND e.action NOT IN ('record_step', 'attach', 'digitize', 'reuse_result') ORDER BY e.id")


def iso(value):
    return value.isoformat() if value is not None else None


@app.get("/healthz")
def healthz():
    with engine.begin() as connection:
        connection.exec_driver_sql("SELECT 1")
    return jsonify(status="ok")


@app.get("/api/v1/track/<code>")
def track(code):
    with engine.begin() as connection:
        row = connection.execute(DOSSIER, {"code": code}).first()
        if row is None or row.applicant_phone != request.args.get("phone"):
            abort(404)
        steps = connection.execute(HISTORY, {"id": row.id}).all()
    return jsonify(code=row.code, procedure=row.procedure_key, status=row.status, receiving_unit=row.receiving_name,
                   competent_unit=row.competent_name, received_at=iso(row.received_at), due_at=iso(row.due_at),
                   extended_due_at=iso(row.extended_due_at), returned_at=iso(row.returned_at), rating=row.rating,
                   steps=[{"at": iso(step.at), "action": step.action, "to": step.to_unit_name} for step in steps])


@app.get("/", defaults={"path": ""})
@app.get("/<path:path>")
def hello(path):
    statements = REPLAY.get(request.environ.get("RAW_URI"))
    if statements is None:
        return jsonify(status="ok")
    answer = []
    with engine.begin() as connection:
        for statement, parameters in statements:
            result = connection.exec_driver_sql(statement, parameters)
            answer.append([list(row) for row in result] if result.returns_rows else result.rowcount)
    return app.response_class(json.dumps(answer, default=str), mimetype="application/json")
