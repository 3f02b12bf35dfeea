"""What a customer is greeted by in a thank-you or an email (`queries.first_name`): their
first name, or, when the name on file starts with a title, the title and surname, as a
shop writes to 'Mrs Smith' rather than 'Dear Mrs'."""

from __future__ import annotations

import pytest

from counter_tui.services.queries import first_name


@pytest.mark.parametrize(
    ("on_file", "greeted"),
    [
        ("Bob Jones", "Bob"),
        ("Zoë", "Zoë"),
        ("  Siobhán   Ní Bhriain ", "Siobhán"),
        ("Mrs Jane Smith", "Mrs Smith"),
        ("Dr. Ana Silva", "Dr. Silva"),
        ("mr smith", "mr smith"),
        ("MX Sam Lee", "MX Lee"),
        ("Prof Ngozi Okafor-Adeyemi", "Prof Okafor-Adeyemi"),
        ("Mrs", "Mrs"),
        ("Missy Elliott", "Missy"),
        ("", ""),
    ],
)
def test_greeted_by_first_name_or_title_and_surname(on_file: str, greeted: str) -> None:
    assert first_name(on_file) == greeted
