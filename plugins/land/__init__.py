"""Đất đai plugin."""

from core.plugins import PluginInfo

INFO = PluginInfo(name="land", title="Đất đai", version="1.0.0")
