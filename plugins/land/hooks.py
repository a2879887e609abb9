"""Hook implementations of the land plugin."""

from core.plugins import hookimpl


@hookimpl
def register_procedures():
    return []
