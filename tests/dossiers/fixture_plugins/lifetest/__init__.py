"""A throwaway field plugin for the lifecycle tests: one multi-day procedure, a veto and a data update."""

from core.plugins import PluginInfo

INFO = PluginInfo(name="lifetest", title="Thử nghiệm vòng đời", version="0.0.1")
