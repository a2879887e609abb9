"""Bảo trợ xã hội plugin."""

from core.plugins import PluginInfo

INFO = PluginInfo(name="social_welfare", title="Bảo trợ xã hội", version="1.0.0")
