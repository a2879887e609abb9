"""What rules, fees and time limits learn from ``RuleContext`` (KIT-06): the receiving unit's id and the channel,
so a fee may depend on filing online (fee resolutions commonly halve it) without looking the unit up."""

from __future__ import annotations

import pytest

from core.testing import throwaway_plugin

PLUGIN = "phitructuyen"
HOOKS = '''
from datetime import date

from wtforms import Form, StringField
from wtforms.validators import DataRequired

from core.plugins import Issue, Procedure, ProcedureVersion, ProcessingTime, hookimpl
from core.plugins.api import unit_by_id

SEEN = []


class RequestForm(Form):
    subject = StringField("Nội dung", [DataRequired()])


def fee(data, context):
    return 5000 if context.channel == "online" else 10000


def rules(data, context):
    SEEN.append((context.unit_slug, unit_by_id(context.unit_id).slug, context.channel))
    if data["subject"] == "bưu chính" and context.channel != "postal":
        return [Issue("subject", "Chỉ nhận qua bưu chính.", code="postal_only")]
    return []


@hookimpl
def register_procedures():
    version = ProcedureVersion("1", date(2020, 1, 1), "Nghị quyết thử", ProcessingTime(3))
    return [Procedure(key="phitructuyen.request", national_code="1.666666", name="Đề nghị có phí", field="Thử",
                      versions=(version,), form_class=RequestForm, fee=fee, rules=rules)]


@hookimpl
def validate_dossier(procedure, data, context):
    SEEN.append(("hook", context.unit_id is not None, context.channel))
    return []
'''
APPLICANT = {"full_name": "Ngô Văn Phí", "id_number": "001190045678", "phone": "0912345679", "address": "Thôn Tây"}


@pytest.fixture(scope="module")
def _fee_plugin(tmp_path_factory):
    with throwaway_plugin(tmp_path_factory.mktemp("fee_plugins"), PLUGIN, "Phí trực tuyến", HOOKS):
        yield


@pytest.fixture
def app(_fee_plugin, app):
    import sys

    sys.modules[f"plugins.{PLUGIN}.hooks"].SEEN.clear()
    return app


pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=(PLUGIN,))


@pytest.fixture
def headers(client, factory):
    factory.commune("xa-phi", plugins=(PLUGIN,))
    factory.user("tn.phi", ("reception", "xa-phi"))
    return factory.token(client, "tn.phi")


def _file(client, headers, channel, subject="Xin xác nhận"):
    body = {"procedure": "phitructuyen.request", "channel": channel, "applicant": APPLICANT,
            "data": {"subject": subject}}
    return client.post("/api/v1/units/xa-phi/dossiers", json=body, headers=headers if channel != "online" else {})


def test_fee_depends_on_the_channel(client, headers):
    online = _file(client, headers, "online")
    counter = _file(client, headers, "counter")
    assert online.status_code == counter.status_code == 201, (online.get_json(), counter.get_json())
    assert online.get_json()["fee"] == 5000
    assert counter.get_json()["fee"] == 10000


def test_rules_and_hooks_see_the_unit_id_and_channel(client, headers):
    import sys

    assert _file(client, headers, "postal").status_code == 201
    seen = sys.modules[f"plugins.{PLUGIN}.hooks"].SEEN
    assert ("xa-phi", "xa-phi", "postal") in seen
    assert ("hook", True, "postal") in seen


def test_a_rule_on_the_channel_refuses_with_its_message(client, headers):
    refused = _file(client, headers, "counter", subject="bưu chính")
    assert refused.status_code == 422
    assert "Chỉ nhận qua bưu chính." in str(refused.get_json()["error"]["fields"])
    assert _file(client, headers, "postal", subject="bưu chính").status_code == 201
