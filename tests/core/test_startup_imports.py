"""Issue 16: a worker's memory is what it imports at start-up. The libraries of rarely used features are imported
where they are used (printing, spreadsheets, several-image scans, VNeID sign-in, signing, S3, the portal's schema),
so a worker that never prints does not carry fpdf2's fonts (a worker's RSS fell from ~150 to ~100 MB)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

LAZY = ("fpdf", "fontTools", "openpyxl", "img2pdf", "pikepdf", "PIL", "authlib", "joserfc", "requests",
        "cryptography", "pyhanko", "pyhanko_certvalidator", "pkcs11", "boto3", "botocore", "jsonschema", "segno",
        "oidc_provider_mock", "lxml")

_PROBE = """
import json, sys
from core import create_app
app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", "VNEID_ISSUER": "http://idp.invalid"})
client = app.test_client()
statuses = [client.get(path).status_code for path in ("/livez", "/healthz", "/tra-cuu", "/login")]
print(json.dumps({"statuses": statuses, "loaded": sorted(m for m in sys.modules if m.split(".")[0] in %r)}))
"""


def test_a_worker_imports_no_rarely_used_library(tmp_path):
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root), "MOTCUA_INSTANCE": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-c", _PROBE % (LAZY,)], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["statuses"] == [200, 200, 200, 200], found  # it served requests, pages included
    tops = sorted({name.split(".")[0] for name in found["loaded"]})
    assert tops == [], f"imported at start-up or by a plain page: {tops}"
