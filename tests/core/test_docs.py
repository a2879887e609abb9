"""Every hook specification is documented in docs/plugin_hooks.md with its exact signature (after Datasette's
tests/test_docs.py), and the page documents nothing that is not a hook. The page is generated from the
specifications' docstrings (core.plugins.hookdoc), so each hook is described once."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest

from core.plugins import hookdoc, hookspecs
from core.plugins.manager import PluginHost

DOC = Path(__file__).resolve().parents[2] / "docs" / "plugin_hooks.md"
HEADING_RE = re.compile(r"^### (\w+)\((.*)\)\s*$", re.MULTILINE)
CODE_RE = re.compile(r"```python\n(.*?)```", re.DOTALL)


def _specs() -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(function)
        for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
        if hasattr(function, "motcua_spec")
    }


SPECS = _specs()


@pytest.fixture(scope="module")
def content() -> str:
    return DOC.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sections(content) -> dict[str, str]:
    """Hook name -> the text of its section (from its heading to the next heading)."""
    found = {}
    matches = list(re.finditer(r"^#{2,3} .*$", content, re.MULTILINE))
    for index, match in enumerate(matches):
        heading = HEADING_RE.match(match.group(0))
        if heading:
            end = matches[index + 1].start() if index + 1 < len(matches) else len(content)
            found[heading.group(1)] = content[match.start():end]
    return found


def expected_heading(name: str) -> str:
    return f"### {name}({', '.join(SPECS[name].parameters)})"


def test_the_spec_module_defines_hooks():
    assert len(SPECS) >= 10
    assert hookspecs_firstresult("route_dossier")
    assert not hookspecs_firstresult("validate_dossier")


def test_every_registered_hook_is_a_documented_spec():
    registered = {name for name in dir(PluginHost().pm.hook) if not name.startswith("_")}
    assert registered == set(SPECS)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_hook_is_documented_with_its_exact_signature(content, name):
    lines = content.splitlines()
    assert expected_heading(name) in lines, f"docs/plugin_hooks.md lacks the heading {expected_heading(name)!r}"


def test_no_documented_hook_is_stale(content):
    documented = {name: args for name, args in HEADING_RE.findall(content)}
    assert set(documented) == set(SPECS), "documented hooks and hookspecs differ"
    assert len(HEADING_RE.findall(content)) == len(SPECS), "a hook is documented twice"


@pytest.mark.parametrize("name", sorted(SPECS))
def test_section_says_kind_arguments_returns_and_example(sections, name):
    section = sections[name]
    kind = "start-up" if name.startswith("register_") else "runtime"
    assert f"**Kind:** {kind}" in section
    assert "**Arguments:**" in section
    assert "**Returns:**" in section
    for argument in SPECS[name].parameters:
        assert f"`{argument}`" in section, f"argument {argument} of {name} is not described"
    if hookspecs_firstresult(name):
        assert "firstresult" in section
    examples = CODE_RE.findall(section)
    assert examples, f"{name} has no example"
    assert any("@hookimpl" in code and f"def {name}(" in code for code in examples)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_examples_are_valid_python_and_use_the_spec_arguments(sections, name):
    for code in CODE_RE.findall(sections[name]):
        tree = ast.parse(code)
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name == name:
                used = [a.arg for a in node.args.args]
                # pluggy passes arguments by name: an implementation may take fewer, never others.
                assert set(used) <= set(SPECS[name].parameters), f"{name} example takes {used}"


def test_hooks_are_under_the_right_kind_heading(content):
    startup, runtime = content.split("## Runtime hooks", 1)
    assert "## Start-up hooks" in startup
    for name in SPECS:
        part = startup if name.startswith("register_") else runtime
        assert expected_heading(name) in part.splitlines()


def test_the_page_is_generated_from_the_spec_docstrings(content):
    """CODE-12: each hook is described once, in its specification's docstring; the page is made from them."""
    assert content == hookdoc.render(), "run: python -m core.plugins.hookdoc > docs/plugin_hooks.md"


@pytest.mark.parametrize("name", sorted(SPECS))
def test_spec_docstring_is_its_section(sections, name):
    doc = inspect.getdoc(getattr(hookspecs, name))
    assert doc and doc in sections[name]


def hookspecs_firstresult(name: str) -> bool:
    return bool(getattr(getattr(hookspecs, name), "motcua_spec", {}).get("firstresult"))


def test_the_heading_parser_would_catch_a_wrong_signature():
    wrong = "### validate_dossier(procedure, data)\n"
    assert expected_heading("validate_dossier") not in wrong.splitlines()
    assert HEADING_RE.findall(wrong) == [("validate_dossier", "procedure, data")]
