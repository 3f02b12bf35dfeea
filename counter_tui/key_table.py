"""The key map of the staff app and the kiosk, read from the bindings in the code:
one Markdown row per binding, with the keys a `[keys]` remapping gives it.

README's keys table (`scripts/keys_table.py`, no remapping) and `counter-tui keys`
(this terminal's remapping) are both made here, so they cannot disagree. It imports
every screen, so only those two import it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from textual.binding import Binding

from counter_tui.ui.app import CounterApp
from counter_tui.ui.dialogs.form import FormDialog
from counter_tui.ui.dialogs.lead_pin import LeadPinDialog
from counter_tui.ui.kiosk.app import KioskApp
from counter_tui.ui.kiosk.screens.choice import ChoiceScreen
from counter_tui.ui.kiosk.screens.menu import StaffMenuScreen
from counter_tui.ui.kiosk.screens.name import NameScreen
from counter_tui.ui.kiosk.screens.welcome import WelcomeScreen
from counter_tui.ui.screens.audit import AuditScreen
from counter_tui.ui.screens.customer import CustomerScreen
from counter_tui.ui.screens.find import FindCustomerScreen
from counter_tui.ui.screens.floor import FloorScreen
from counter_tui.ui.screens.followups import FollowUpsScreen
from counter_tui.ui.screens.handoffs import HandoffsScreen
from counter_tui.ui.screens.review import ReviewScreen
from counter_tui.ui.screens.shop_settings import ShopSettingsScreen
from counter_tui.ui.screens.sign_in import SignInScreen
from counter_tui.ui.screens.staff_admin import StaffAdminScreen
from counter_tui.ui.widgets.choice import ChoiceList

SCREENS: tuple[tuple[str, type], ...] = (
    ("Anywhere (staff)", CounterApp),
    ("Sign-in", SignInScreen),
    ("Floor board", FloorScreen),
    ("Customer", CustomerScreen),
    ("Find customer", FindCustomerScreen),
    ("My follow-ups", FollowUpsScreen),
    ("Hand-offs", HandoffsScreen),
    ("Lead review", ReviewScreen),
    ("Audit log (leads)", AuditScreen),
    ("Staff (leads)", StaffAdminScreen),
    ("Shop settings (leads)", ShopSettingsScreen),
    ("Any dialog", FormDialog),
    ("Lead's PIN (closing the app)", LeadPinDialog),
    ("A choice in a dialog (↑↓ choose)", ChoiceList),
    ("Kiosk", KioskApp),
    ("Kiosk welcome", WelcomeScreen),
    ("Kiosk name", NameScreen),
    ("Kiosk choice", ChoiceScreen),
    ("Kiosk staff menu", StaffMenuScreen),
)
KEY_NAMES = {
    "slash": "/",
    "question_mark": "?",
    "escape": "Esc",
    "enter": "Enter",
    "pagedown": "PgDn",
    "pageup": "PgUp",
    "space": "Space",
}


def key_label(keys: str) -> str:
    """`f1,question_mark` -> `F1` / `?`."""
    names = []
    for key in keys.split(","):
        key = key.strip()
        names.append(KEY_NAMES.get(key, key.upper() if re.fullmatch(r"f\d+", key) else key))
    return " / ".join(f"`{name}`" for name in names)


def rows(keymap: Mapping[str, str] | None = None) -> list[str]:
    """One Markdown row per documented binding, grouped by screen, with the keys
    `keymap` (binding id -> keys) gives instead of the built-in ones."""
    remapped = keymap or {}
    lines = ["| screen | key | binding id | does |", "|---|---|---|---|"]
    for title, owner in SCREENS:
        groups: list[tuple[str, list[Binding]]] = []
        for binding in owner.__dict__.get("BINDINGS", []):
            if not isinstance(binding, Binding) or not binding.id:
                continue
            does = binding.tooltip or binding.description
            if groups and groups[-1][0] == does:
                groups[-1][1].append(binding)
            else:
                groups.append((does, [binding]))
        for index, (does, bindings) in enumerate(groups):
            keys = " ".join(key_label(remapped.get(b.id or "", b.key)) for b in bindings)
            if any(b.id in remapped for b in bindings):
                keys += " (remapped)"
            ids = f"`{bindings[0].id}`" + (f" … `{bindings[-1].id}`" if len(bindings) > 1 else "")
            lines.append(f"| {title if index == 0 else ''} | {keys} | {ids} | {does} |")
    return lines
