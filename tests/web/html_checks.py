"""Checks every page test applies: strict HTML parsing (html5lib), a <title>, a label for every input, unique ids."""

from __future__ import annotations

import html5lib

UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}


def parse_strict(text: str):
    """Parse with html5lib in strict mode: any parse error (bad nesting, stray tags, bad entities) raises."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(text)


def problems(text: str) -> list[str]:
    """Everything wrong with a page, as readable lines ([] when the page passes)."""
    found = []
    try:
        tree = parse_strict(text)
    except html5lib.html5parser.ParseError as exc:
        return [f"HTML parse error: {exc}"]
    title = tree.find(".//head/title")
    if title is None or not "".join(title.itertext()).strip():
        found.append("no <title>")
    if tree.get("lang") in (None, ""):
        found.append("no lang on <html>")
    ids: dict[str, int] = {}
    for element in tree.iter():
        if element.get("id"):
            ids[element.get("id")] = ids.get(element.get("id"), 0) + 1
    found += [f"duplicate id {i!r}" for i, n in ids.items() if n > 1]
    labelled_for = {label.get("for") for label in tree.iter("label") if label.get("for")}
    inside_label = {id(el) for label in tree.iter("label") for el in label.iter() if el is not label}
    for element in tree.iter():
        if element.tag not in ("input", "select", "textarea"):
            continue
        if element.tag == "input" and (element.get("type") or "text") in UNLABELLED_TYPES:
            continue
        if element.get("aria-label") or element.get("aria-labelledby"):
            continue
        if element.get("id") in labelled_for or id(element) in inside_label:
            continue
        found.append(f"<{element.tag} name={element.get('name')!r}> has no label")
    return found


def assert_good_page(response_or_text) -> str:
    """Assert the page passes every check; returns its text."""
    text = response_or_text if isinstance(response_or_text, str) else response_or_text.get_data(as_text=True)
    issues = problems(text)
    assert not issues, "\n".join(issues)
    return text
