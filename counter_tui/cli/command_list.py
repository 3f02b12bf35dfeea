"""What `counter-tui --help` says, in one place and without Typer: the app's own line, the
global options' help, and every command's name, module and one-line help.

`root.py` builds the Typer app from these, `lazy_group.py` loads a command from its entry
when it runs, and `plain_help.py` prints the top-level help from them alone.
`tests/unit/test_start_up_imports.py` checks each entry's help is the command's own.
"""

from __future__ import annotations

APP_HELP = "Keyboard-first front-counter app for shops."
DB_HELP = (
    "Database URL, e.g. sqlite:////path/shop.sqlite3 or "
    "postgresql+psycopg://user@host/db (env COUNTER_TUI_DATABASE_URL)."
)
CONFIG_HELP = "Settings file (TOML) to use instead of the one in the config dir (env COUNTER_TUI_CONFIG)."
VERSION_HELP = "Print the version, the database's kind and its schema revision, then stop."


class LazyCommand:
    """A command (a function) or a group of commands (a `typer.Typer`) in a module.
    (A plain class: `dataclasses` would cost the help more than the rest of this file.)"""

    __slots__ = ("attribute", "help", "module")

    def __init__(self, module: str, attribute: str, help: str) -> None:
        self.module = module
        self.attribute = attribute
        self.help = help


COMMANDS: dict[str, LazyCommand] = {
    "keys": LazyCommand(
        "counter_tui.commands.keys",
        "keys",
        "Print the effective key map: every screen's keys after this terminal's remapping.",
    ),
    "demo": LazyCommand(
        "counter_tui.commands.demo",
        "demo",
        "Try the app on a throwaway database filled with a realistic demo shop.",
    ),
    "kiosk": LazyCommand(
        "counter_tui.commands.kiosk",
        "kiosk",
        "Run the customer self check-in kiosk (locked down; a lead's PIN leaves it).",
    ),
    "serve": LazyCommand(
        "counter_tui.commands.serve",
        "serve",
        "Serve the staff app, or a kiosk, to web browsers (each browser gets its own session).",
    ),
    "staff": LazyCommand("counter_tui.commands.staff", "staff_app", "Add, list and manage staff accounts."),
    "db": LazyCommand("counter_tui.commands.db", "db_app", "Database schema, backup and restore."),
    "report": LazyCommand(
        "counter_tui.commands.report", "report_app", "Reports for a spreadsheet or an email."
    ),
    "audit": LazyCommand(
        "counter_tui.commands.audit", "audit_app", "The audit trail: check nobody changed it."
    ),
    "shop": LazyCommand(
        "counter_tui.commands.shop",
        "shop_app",
        "The shop's own rules, the same on every terminal: hours, holidays, thresholds, targets.",
    ),
    "customers": LazyCommand(
        "counter_tui.commands.customers",
        "customers_app",
        "Customers in bulk: import from a till's export, export; one customer's data.",
    ),
    "visits": LazyCommand("counter_tui.commands.exports", "visits_app", "Visits in bulk: export."),
    "followups": LazyCommand("counter_tui.commands.exports", "followups_app", "Follow-ups in bulk: export."),
    "retention": LazyCommand(
        "counter_tui.commands.retention",
        "retention_app",
        "How long personal data is kept: apply the shop's rules.",
    ),
    "mail": LazyCommand(
        "counter_tui.commands.mail",
        "mail_app",
        "Email to customers: test the mail server, deliver the outbox.",
    ),
    "config": LazyCommand(
        "counter_tui.commands.settings_file",
        "config_app",
        "This terminal's settings file: where it is, and checking it.",
    ),
}

# The top-level options as the help lists them: name, type shown, help. Typer adds the
# last three itself; their wording is Typer's (the test compares with Typer's own help).
ROOT_OPTIONS: tuple[tuple[str, str, str], ...] = (
    ("--db", "str", DB_HELP),
    ("--config", "path", CONFIG_HELP),
    ("--version", "bool", VERSION_HELP),
    ("--install-completion", "bool", "Install completion for the current shell."),
    (
        "--show-completion",
        "bool",
        "Show completion for the current shell, to copy it or customize the installation.",
    ),
    ("--help", "bool", "Show this message and exit."),
)
