from reports_helpers import PLUGINS, vn, flat
import pytest

pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=PLUGINS)


def test_smoke(world):
    code = world.receive(vn(2026, 3, 2, 9))
    snap = world.resolve(code, vn(2026, 3, 3, 10))
    print(snap)
    body = world.figures("huyen", "2026-03-01", "2026-03-31", by="unit")
    print(body)
    assert body["resolved"]["total"] == 1
