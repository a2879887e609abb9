"""The package list of pyproject.toml's distribution: the code packages found in the checkout, plus its top-level
data folders installed as folders of ``motcua`` (core/paths.py finds them there)."""

from setuptools import find_packages, setup

DATA_FOLDERS = ("templates", "migrations", "translations", "communes")

setup(
    packages=find_packages(include=["core", "core.*", "plugins", "plugins.*", "motcua"])
    + [f"motcua.{folder}" for folder in DATA_FOLDERS],
    package_dir={f"motcua.{folder}": folder for folder in DATA_FOLDERS},
)
