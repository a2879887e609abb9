"""The ceiling for bench/http_bench.py: a hello-world Flask app, served by gunicorn as Một Cửa is."""

from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/", defaults={"path": ""})
@app.get("/<path:path>")
def hello(path):
    return jsonify(status="ok")


@app.post("/", defaults={"path": ""})
@app.post("/<path:path>")
def hello_post(path):
    return jsonify(status="ok"), 201
