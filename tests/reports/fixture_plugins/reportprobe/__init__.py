"""A throwaway field plugin for the report tests: two procedures in two fields with working-day limits."""

from core.plugins import PluginInfo

INFO = PluginInfo(name="reportprobe", title="Thử nghiệm báo cáo", version="0.0.1")
