"""Hook implementations of the social_welfare plugin."""

from core.plugins import hookimpl


@hookimpl
def register_procedures():
    return []
