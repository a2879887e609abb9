"""The version of Một Cửa's core, against which plugins declare what they support (``PluginInfo.core_versions``)."""

__version__ = "1.0.0"
