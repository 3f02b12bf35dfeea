"""Contact details are checked before they are stored: a phone number is digits and
the usual separators, an email has an @ and a domain."""

from __future__ import annotations

import pytest

from counter_tui.errors import InvalidInput
from counter_tui.services import customer_record, customers
from counter_tui.services.context import ShopContext
from tests.conftest import Team


@pytest.mark.parametrize("phone", ["07700 900456ama@example.com", "call me", "0770O 900456"])
def test_a_phone_with_letters_is_refused_and_nothing_is_stored(
    ctx: ShopContext, team: Team, phone: str
) -> None:
    with pytest.raises(InvalidInput, match="only digits"):
        customers.create_customer(ctx, team.sam, name="Ama Owusu", phone=phone)
    assert customers.customer_count(ctx) == 0


@pytest.mark.parametrize("phone", ["+44 (0)20 7946 0958", "020-7946-0958", "07700.900.456"])
def test_usual_phone_formats_are_kept_as_typed(ctx: ShopContext, team: Team, phone: str) -> None:
    customer_id = customers.create_customer(ctx, team.sam, name="Ama Owusu", phone=phone)
    assert customer_record.customer_detail(ctx, team.sam, customer_id).phone == phone


@pytest.mark.parametrize("phone", ["12345", "123456", "00 44 12345"])
def test_a_number_that_reaches_nobody_outside_its_area_is_refused(
    ctx: ShopContext, team: Team, phone: str
) -> None:
    """Found by a tester: "12345" was taken at the counter and by the import, stored as
    +4412345, and a callback to it can reach nobody. A number of the shop's country that
    is too short to dial from anywhere asks for its area code."""
    with pytest.raises(InvalidInput, match="area code") as refused:
        customers.create_customer(ctx, team.sam, name="Ama Owusu", phone=phone)
    assert refused.value.field == "phone"
    assert customers.customer_count(ctx) == 0


@pytest.mark.parametrize("phone", ["0161 496 0000", "+1 212 555 0100", "07700 900456", "+49 30 901820"])
def test_whole_numbers_of_any_country_are_taken(ctx: ShopContext, team: Team, phone: str) -> None:
    customer_id = customers.create_customer(ctx, team.sam, name="Ama Owusu", phone=phone)
    assert customer_record.customer_detail(ctx, team.sam, customer_id).phone == phone
