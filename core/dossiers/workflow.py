"""The dossier state machine, shared by every channel (counter, post, online, pages and API).

States carry the national status codes of domain.md 2.1 (see ``models.NATIONAL_STATUS``). ``in_progress`` has a
sub-step: ``assigned`` (a specialist handles it), ``pending_approval`` (waiting for a leader), ``transferred``
(liên thông: another unit handles it now).

An action names the states it starts from, the roles that may take it and where the role must be held
(``"competent"``: the unit handling the dossier; ``"either"``: that unit or the receiving one), its required
arguments, and its target state. Services apply actions; this module only describes them. The pseudo-role
``"citizen"`` is the applicant, acting without an account through the public tracking (code and phone).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

STATE_LABELS = {
    "submitted": _l("Chờ tiếp nhận trực tuyến"),
    "received": _l("Đã tiếp nhận"),
    "refused": _l("Từ chối tiếp nhận"),
    "rejected": _l("Từ chối giải quyết"),
    "in_progress": _l("Đang xử lý"),
    "supplement_requested": _l("Yêu cầu bổ sung hồ sơ"),
    "awaiting_payment": _l("Chờ thực hiện nghĩa vụ tài chính"),
    "withdrawal_requested": _l("Công dân yêu cầu rút hồ sơ"),
    "stopped": _l("Dừng xử lý"),
    "result_ready": _l("Đã có kết quả, chờ trả"),
    "returned": _l("Đã trả kết quả"),
}

STEP_LABELS = {
    "assigned": _l("Chuyên viên đang xử lý"),
    "pending_approval": _l("Chờ lãnh đạo phê duyệt"),
    "transferred": _l("Đã chuyển liên thông"),
    "": "",
}

# The state sets every area uses (queues, reports, papers, the admin overview); nothing else types them again.
# The clock runs: a dossier past its due moment is overdue.
RUNNING_STATES = ("received", "in_progress")
# The clock is paused while the applicant supplements or pays.
PAUSED_STATES = ("supplement_requested", "awaiting_payment")
# Received and not decided: the clock fields (due_at, paused_at) are meaningful.
CLOCK_STATES = (*RUNNING_STATES, *PAUSED_STATES)
# Where the applicant may still ask to withdraw (domain.md 2.2 step 7): the dossier is not decided yet.
WITHDRAWABLE_STATES = ("submitted", *CLOCK_STATES)
# Still on someone's desk: every work queue is a subset of these states (and the partial desk indexes use them).
ON_DESK = (*WITHDRAWABLE_STATES, "withdrawal_requested", "result_ready")


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    sources: tuple[str, ...]
    roles: frozenset[str]
    target: str | None  # None: the state does not change
    where: str = "competent"
    arguments: tuple[str, ...] = ()  # required argument names
    steps: tuple[str, ...] | None = None  # allowed in_progress sub-steps (None: any)
    citizen_facing: bool = False  # writes a notification to the applicant
    # The same action taken while ``in_progress`` by other roles, with another outcome: (label, roles, where,
    # target). ``refuse`` after examination is the competent unit's written refusal (LAW-19), not the counter's Mẫu 03.
    processing: tuple | None = None

    def _stage(self, status: str, index: int, default):
        return self.processing[index] if self.processing and status == "in_progress" else default

    def label_in(self, status: str):
        return self._stage(status, 0, self.label)

    def roles_in(self, status: str) -> frozenset[str]:
        return self._stage(status, 1, self.roles)

    def where_in(self, status: str) -> str:
        return self._stage(status, 2, self.where)

    def target_in(self, status: str) -> str | None:
        return self._stage(status, 3, self.target)


def _a(name, label, sources, roles, target, **kw) -> Action:
    return Action(name, label, tuple(sources), frozenset(roles), target, **kw)


ACTIONS: dict[str, Action] = {a.name: a for a in (
    _a("receive", _l("Tiếp nhận hồ sơ"), ["submitted"], ["reception"], "received", citizen_facing=True),
    # At the counter: Mẫu 03. While processing (Decree 176/2025 art. 4, Decree 147/2025 art. 5(2): "trả lời bằng
    # văn bản, nêu rõ lý do"): the specialist or leader of the competent unit refuses with a written reply.
    _a("refuse", _l("Từ chối tiếp nhận"), ["submitted", "received", "in_progress"], ["reception"], "refused",
       arguments=("reason",), where="either", citizen_facing=True, steps=("assigned", "pending_approval"),
       processing=(_l("Từ chối giải quyết (trả lời bằng văn bản)"), frozenset({"specialist", "leader"}), "competent",
                   "rejected")),
    _a("assign", _l("Chuyển chuyên viên xử lý"), ["received", "in_progress"], ["reception", "leader", "specialist"],
       "in_progress", arguments=("assignee",), steps=("assigned", "transferred", "")),
    _a("request_supplement", _l("Yêu cầu bổ sung hồ sơ"), ["submitted", "received", "in_progress"],
       ["reception", "specialist"], "supplement_requested", arguments=("missing_documents", "reason"),
       where="either", citizen_facing=True),
    _a("supplement_received", _l("Đã nhận hồ sơ bổ sung"), ["supplement_requested"], ["reception", "specialist"],
       None, where="either", citizen_facing=True),
    _a("request_payment", _l("Yêu cầu thực hiện nghĩa vụ tài chính"), ["in_progress"], ["specialist", "reception"],
       "awaiting_payment", arguments=("amount",), citizen_facing=True),
    _a("payment_received", _l("Đã hoàn thành nghĩa vụ tài chính"), ["awaiting_payment"], ["reception", "specialist"],
       "in_progress", where="either"),
    _a("transfer", _l("Chuyển liên thông"), ["received", "in_progress"], ["reception", "specialist", "leader"],
       "in_progress", arguments=("to_unit",), citizen_facing=True),
    _a("record_step", _l("Ghi nhận bước xử lý"), ["in_progress"], ["specialist"], None, arguments=("step",),
       steps=("assigned",)),
    _a("submit_for_approval", _l("Trình lãnh đạo phê duyệt"), ["in_progress"], ["specialist"], "in_progress",
       steps=("assigned",)),
    _a("approve", _l("Phê duyệt, ký kết quả"), ["in_progress"], ["leader"], "result_ready",
       steps=("pending_approval",), citizen_facing=True),
    _a("send_back", _l("Trả lại chuyên viên"), ["in_progress"], ["leader"], "in_progress", arguments=("reason",),
       steps=("pending_approval",)),
    _a("apologize", _l("Xin lỗi và hẹn lại ngày trả"), ["received", "in_progress", "supplement_requested",
       "awaiting_payment"], ["reception", "specialist", "leader"], None, where="either",
       arguments=("reason", "new_due_at"), citizen_facing=True),
    _a("request_withdrawal", _l("Công dân yêu cầu rút hồ sơ"), WITHDRAWABLE_STATES, ["citizen"],
       "withdrawal_requested", arguments=("reason",), citizen_facing=True),
    _a("withdraw", _l("Dừng xử lý theo yêu cầu rút hồ sơ"), [*WITHDRAWABLE_STATES, "withdrawal_requested"],
       ["reception"], "stopped", where="either", citizen_facing=True),
    _a("return_result", _l("Trả kết quả"), ["result_ready"], ["reception"], "returned", where="either",
       arguments=("received_by",), citizen_facing=True),
)}


def action_applies(action: Action, status: str, step: str) -> bool:
    if status not in action.sources:
        return False
    if status == "in_progress" and action.steps is not None and step not in action.steps:
        return False
    return True


# History rows written by the system, not by a workflow action.
SYSTEM_EVENT_LABELS = {"unit_merged": _l("Chuyển sang đơn vị mới do sắp xếp đơn vị hành chính"),
                       "reuse_result": _l("Dùng lại kết quả điện tử đã cấp"),
                       # online payment of the fee (core.payments): history rows that leave the state as it is
                       "payment_started": _l("Bắt đầu thanh toán phí, lệ phí trực tuyến"),
                       "payment_paid": _l("Đã thanh toán phí, lệ phí trực tuyến"),
                       "payment_failed": _l("Thanh toán trực tuyến không thành công")}


def event_label(action_name: str, from_status: str = "") -> str:
    """An action's label as it happened (``refuse`` from ``in_progress`` is a refusal after examination)."""
    action = ACTIONS.get(action_name)
    if action is None:
        return str(SYSTEM_EVENT_LABELS.get(action_name, action_name))
    return str(action.label_in(from_status))


def state_label(status: str, step: str = "") -> str:
    """A state's label; an ``in_progress`` dossier with a known ``step`` names it ("Đang giải quyết — Thẩm định")."""
    label = str(STATE_LABELS.get(status, status))
    if status == "in_progress" and step:
        return f"{label} — {STEP_LABELS.get(step, step)}"
    return label
