pytest_plugins = ["core.testing"]


def pytest_collection_modifyitems(items):
    # The due moments stated in tests written before LAW-07 are at the hour of reception: they keep checking the
    # pause, holiday and office-hour arithmetic exactly under "same_hour". The Civil Code default ("close_of_day")
    # is driven by tests/dossiers/test_deadline_end.py, which marks its tests app_config(DEADLINE_END=...); a test's
    # own marker wins over this one (core.testing applies the nearest marker last).
    import pytest

    for item in items:
        item.add_marker(pytest.mark.app_config(DEADLINE_END="same_hour"))
