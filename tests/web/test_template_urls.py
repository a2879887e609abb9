"""Templates' links are remembered per address prefix (core.template_urls, issue 16): a deployment under a path
prefix, or the same page reached at another host, still gets its own links, never another request's."""

from __future__ import annotations

import re


def _links(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r'(?:href|action|src)="([^"#?]*)', response.get_data(as_text=True))


def test_links_follow_the_script_root_of_each_request(client):
    plain = _links(client.get("/tra-cuu"))
    assert "/static/css/app.css" in plain and "/tra-cuu" in plain and "/login" in plain

    prefixed = _links(client.get("/tra-cuu", base_url="http://localhost/mot-cua/"))
    assert "/mot-cua/static/css/app.css" in prefixed and "/mot-cua/tra-cuu" in prefixed
    assert "/mot-cua/login" in prefixed and "/tra-cuu" not in prefixed

    assert _links(client.get("/tra-cuu")) == plain  # and back: nothing of the prefixed request stays


def test_links_with_arguments_are_built_for_their_own_arguments(client, desk):
    home = client.get("/").get_data(as_text=True)
    slugs = re.findall(r'href="/thu-tuc/([^"/?#]+)"', home)
    assert len(set(slugs)) >= 2, slugs
    for slug in sorted(set(slugs))[:2]:
        page = client.get(f"/thu-tuc/{slug}").get_data(as_text=True)
        assert f'href="/thu-tuc/{slug}"' in page  # the menu's catalogue link names this commune, not the last one
