"""Một Cửa as an installed distribution: ``flask --app motcua db upgrade heads``, ``gunicorn 'motcua:create_app()'``.

The code lives in the top-level packages ``core`` and ``plugins``; this package holds nothing but the entry point
(Flask's ``--app motcua`` finds ``create_app``) and, in a wheel, the data folders the app reads (templates,
migrations, translations, communes: see core/paths.py).
"""

from core import create_app

__all__ = ["create_app"]
