"""A throwaway notification plugin for the outbox tests: an SMS transport whose failures a test scripts."""

from core.plugins import PluginInfo

INFO = PluginInfo(name="fakesend", title="Gửi tin thử nghiệm", version="0.0.1")
