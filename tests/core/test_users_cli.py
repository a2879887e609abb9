"""`flask users create | set-password | grant | revoke | list`, including bad input."""

from __future__ import annotations

import pytest

from core.testing import TEST_PASSWORD

PASSWORD = "mat-khau-moi-2025"


@pytest.fixture
def units(factory):
    factory.district("huyen-a")
    factory.commune("xa-a", parent="huyen-a")
    factory.commune("xa-b", parent="huyen-a")


def cli(runner, *args, input=None):
    return runner.invoke(args=["users", *args], input=input)


def can_log_in(client, username, password) -> bool:
    response = client.post("/api/v1/auth/token", json={"username": username, "password": password})
    return response.status_code == 200


def listing(runner, *args) -> list[str]:
    result = cli(runner, "list", *args)
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


# --- create ------------------------------------------------------------------------------------------------------


def test_create_with_a_role(runner, client, units):
    result = cli(runner, "create", "xa-a.tiepnhan", "--full-name", "Nguyễn Thị Lan", "--password", PASSWORD,
                 "--unit", "xa-a", "--role", "reception")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Created xa-a.tiepnhan."
    assert listing(runner) == ["xa-a.tiepnhan\tNguyễn Thị Lan\treception@xa-a"]
    assert can_log_in(client, "xa-a.tiepnhan", PASSWORD)
    assert not can_log_in(client, "xa-a.tiepnhan", PASSWORD + "x")


def test_create_without_a_role(runner, client, units):
    result = cli(runner, "create", "kiem.tra", "--full-name", "Lê Văn Kiểm", "--password", PASSWORD)
    assert result.exit_code == 0, result.output
    assert listing(runner) == ["kiem.tra\tLê Văn Kiểm\t-"]


def test_create_prompts_for_the_password_twice(runner, client, units):
    result = cli(runner, "create", "xa-a.lanhdao", "--full-name", "Phạm Văn Đức", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output  # hidden input
    assert can_log_in(client, "xa-a.lanhdao", PASSWORD)


def test_create_refuses_mismatched_prompted_passwords(runner, units):
    result = cli(runner, "create", "xa-a.lanhdao", "--full-name", "Phạm Văn Đức", input=f"{PASSWORD}\nkhac-hoan-toan\n")
    assert result.exit_code != 0
    assert "do not match" in result.output
    assert listing(runner) == []


def test_create_refuses_a_duplicate(runner, client, units, factory):
    factory.user("xa-a.tiepnhan", ("reception", "xa-a"))
    result = cli(runner, "create", "xa-a.tiepnhan", "--full-name", "Người khác", "--password", PASSWORD)
    assert result.exit_code == 1
    assert "User 'xa-a.tiepnhan' already exists." in result.output
    assert can_log_in(client, "xa-a.tiepnhan", TEST_PASSWORD)  # the existing account is untouched


@pytest.mark.parametrize("args, message", [
    (["--password", "ngan"], "at least 8 characters"),
    (["--password", PASSWORD, "--unit", "xa-a"], "--unit and --role go together"),
    (["--password", PASSWORD, "--role", "reception"], "--unit and --role go together"),
    (["--password", PASSWORD, "--unit", "xa-khong-co", "--role", "reception"], "No unit 'xa-khong-co'."),
])
def test_create_bad_input_creates_nothing(runner, units, args, message):
    result = cli(runner, "create", "xa-a.moi", "--full-name", "Người Mới", *args)
    assert result.exit_code == 1
    assert message in result.output
    assert listing(runner) == []


@pytest.mark.parametrize("username", ["", "  ", "xa a.tiepnhan", "Xa-A.TiepNhan", "ngườidùng", "ab", ".an",
                                      "x" * 81, "an;drop"])
def test_create_refuses_a_bad_username(runner, units, username):
    result = cli(runner, "create", username, "--full-name", "Người Mới", "--password", PASSWORD)
    assert result.exit_code == 1
    assert "username" in result.output.lower()
    assert listing(runner) == []


def test_create_refuses_a_blank_full_name(runner, units):
    result = cli(runner, "create", "xa-a.moi", "--full-name", "   ", "--password", PASSWORD)
    assert result.exit_code == 1
    assert "full name" in result.output.lower()
    assert listing(runner) == []


@pytest.mark.parametrize("args", [
    ["create", "xa-a.moi", "--password", PASSWORD],  # no --full-name
    ["create", "xa-a.moi", "--full-name", "A", "--password", PASSWORD, "--unit", "xa-a", "--role", "admin"],
    ["grant", "xa-a.moi", "boss", "xa-a"],
    ["revoke", "xa-a.moi", "boss", "xa-a"],
    ["grant", "xa-a.moi"],
])
def test_usage_errors_exit_2(runner, units, args):
    result = cli(runner, *args)
    assert result.exit_code == 2
    assert "Error" in result.output


# --- set-password ------------------------------------------------------------------------------------------------


def test_set_password(runner, client, units, factory):
    factory.user("xa-a.tiepnhan", ("reception", "xa-a"))
    result = cli(runner, "set-password", "xa-a.tiepnhan", "--password", PASSWORD)
    assert result.exit_code == 0, result.output
    assert "Password of xa-a.tiepnhan changed." in result.output
    assert can_log_in(client, "xa-a.tiepnhan", PASSWORD)
    assert not can_log_in(client, "xa-a.tiepnhan", TEST_PASSWORD)


def test_set_password_prompted(runner, client, units, factory):
    factory.user("xa-a.tiepnhan", ("reception", "xa-a"))
    result = cli(runner, "set-password", "xa-a.tiepnhan", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert can_log_in(client, "xa-a.tiepnhan", PASSWORD)


def test_set_password_bad_input(runner, client, units, factory):
    factory.user("xa-a.tiepnhan", ("reception", "xa-a"))
    result = cli(runner, "set-password", "xa-a.tiepnhan", "--password", "1234567")
    assert result.exit_code == 1
    assert "at least 8 characters" in result.output
    assert can_log_in(client, "xa-a.tiepnhan", TEST_PASSWORD)
    result = cli(runner, "set-password", "khong-co", "--password", PASSWORD)
    assert result.exit_code == 1
    assert "No user 'khong-co'." in result.output


# --- grant / revoke ----------------------------------------------------------------------------------------------


def test_grant_and_revoke(runner, units, factory):
    factory.user("xa-a.chuyenvien", ("specialist", "xa-a"))
    result = cli(runner, "grant", "xa-a.chuyenvien", "leader", "xa-b")
    assert result.exit_code == 0, result.output
    assert "Granted leader on xa-b to xa-a.chuyenvien." in result.output
    assert listing(runner) == ["xa-a.chuyenvien\tXa-A Chuyenvien\tspecialist@xa-a, leader@xa-b"]

    again = cli(runner, "grant", "xa-a.chuyenvien", "leader", "xa-b")
    assert again.exit_code == 0
    assert "already has leader on xa-b" in again.output
    assert listing(runner) == ["xa-a.chuyenvien\tXa-A Chuyenvien\tspecialist@xa-a, leader@xa-b"]

    result = cli(runner, "revoke", "xa-a.chuyenvien", "specialist", "xa-a")
    assert result.exit_code == 0, result.output
    assert "Revoked specialist on xa-a from xa-a.chuyenvien." in result.output
    assert listing(runner) == ["xa-a.chuyenvien\tXa-A Chuyenvien\tleader@xa-b"]


def test_grant_district_admin_on_the_district(runner, units, factory):
    factory.user("huyen.admin")
    assert cli(runner, "grant", "huyen.admin", "district_admin", "huyen-a").exit_code == 0
    assert listing(runner, "--unit", "huyen-a") == ["huyen.admin\tHuyen Admin\tdistrict_admin@huyen-a"]


@pytest.mark.parametrize("args, message", [
    (["grant", "khong-co", "reception", "xa-a"], "No user 'khong-co'."),
    (["grant", "xa-a.tiepnhan", "reception", "xa-khong-co"], "No unit 'xa-khong-co'."),
    (["revoke", "khong-co", "reception", "xa-a"], "No user 'khong-co'."),
    (["revoke", "xa-a.tiepnhan", "reception", "xa-khong-co"], "No unit 'xa-khong-co'."),
    (["revoke", "xa-a.tiepnhan", "leader", "xa-a"], "xa-a.tiepnhan has no role leader on xa-a."),
    (["revoke", "xa-a.tiepnhan", "reception", "xa-b"], "xa-a.tiepnhan has no role reception on xa-b."),
])
def test_grant_revoke_bad_input(runner, units, factory, args, message):
    factory.user("xa-a.tiepnhan", ("reception", "xa-a"))
    result = cli(runner, *args)
    assert result.exit_code == 1
    assert message in result.output
    assert listing(runner) == ["xa-a.tiepnhan\tXa-A Tiepnhan\treception@xa-a"]


# --- list --------------------------------------------------------------------------------------------------------


def test_list_filters_by_unit_and_marks_inactive_users(runner, units, factory):
    factory.user("xa-a.tiepnhan", ("reception", "xa-a"), full_name="Nguyễn Thị Lan")
    factory.user("xa-b.tiepnhan", ("reception", "xa-b"), full_name="Trần Văn Hải")
    factory.user("xa-a.cu", ("specialist", "xa-a"), ("auditor", "xa-b"), full_name="Đỗ Văn Cũ", active=False)
    assert listing(runner) == [
        "xa-a.cu\tĐỗ Văn Cũ\tspecialist@xa-a, auditor@xa-b (inactive)",
        "xa-a.tiepnhan\tNguyễn Thị Lan\treception@xa-a",
        "xa-b.tiepnhan\tTrần Văn Hải\treception@xa-b",
    ]
    assert listing(runner, "--unit", "xa-b") == [
        "xa-a.cu\tĐỗ Văn Cũ\tspecialist@xa-a, auditor@xa-b (inactive)",
        "xa-b.tiepnhan\tTrần Văn Hải\treception@xa-b",
    ]
    assert listing(runner, "--unit", "huyen-a") == []  # direct roles on that unit only


def test_list_unknown_unit(runner, units):
    result = cli(runner, "list", "--unit", "xa-khong-co")
    assert result.exit_code == 1
    assert "No unit 'xa-khong-co'." in result.output
