"""The demo shop's data: its staff, customer names, texts, and the tables of what happens.

Only values live here; `counter_tui.demo.build` and the modules it uses turn them into
a shop through the services.
"""

from __future__ import annotations

from counter_tui.db.models import NeedKind, Role
from counter_tui.services.context import Actor


def _names(text: str) -> tuple[str, ...]:
    """Names written as a comma-separated block (some hold spaces or apostrophes)."""
    return tuple(name.strip() for name in text.split(",") if name.strip())


DEMO_STAFF: tuple[tuple[str, str, str], ...] = (
    ("Dana", Role.LEAD, "1111"),
    ("Priya", Role.LEAD, "2222"),
    ("Sam", Role.ASSOCIATE, "3333"),
    ("Alex", Role.ASSOCIATE, "4444"),
    ("Jordan", Role.ASSOCIATE, "5555"),
    ("Mei", Role.ASSOCIATE, "6666"),
)
CUSTOMER_COUNT = 300
HISTORY_DAYS = 28
KIOSK = Actor.kiosk("door")

FIRST_NAMES = _names(
    """
    Olivia, Amelia, Isla, Ava, Freya, Lily, Grace, Sophie, Evie, Ruby, Harriet, Margaret,
    Eleanor, Joan, Brenda, Aoife, Siobhán, Niamh, Zoë, Chloé, Renée, Inès, Léa, Amélie,
    Maëlle, Françoise, Björk, Ingrid, Astrid, Priyanka, Ananya, Deepa, Fatima, Aisha,
    Layla, Yasmin, Mei, Xiu, Hana, Yuki, Min-jun, Ji-woo, Ama, Abena, Chiamaka, Ngozi,
    Lucía, Sofía, María José, Ana, Beatriz, Małgorzata, Zofia, Agnieszka, Oliver, George,
    Harry, Jack, Noah, Leo, Arthur, Oscar, Alfie, Henry, Tom, Gareth, Dylan, Rhys, Seán,
    Ciarán, Pádraig, Declan, Eoin, José, Andrés, Joaquín, Mateus, João, Björn, Søren,
    Jürgen, Łukasz, Wojciech, Ravi, Arjun, Vikram, Omar, Yusuf, Tariq, Kwame, Kofi,
    Chinedu, Emeka, Wei, Hiroshi, Kenji, Duc, Minh, Tomás, Nikolai
    """
)
LAST_NAMES = _names(
    """
    Smith, Jones, Taylor, Brown, Williams, Wilson, Johnson, Davies, Evans, Thomas, Roberts,
    Walker, Wright, Robinson, Thompson, Hughes, Edwards, Green, Hall, Wood, Harris, Lewis,
    Martin, Jackson, Clarke, Turner, O'Neill, O'Brien, O'Connor, O'Sullivan, D'Souza,
    D'Arcy, McCarthy, MacLeod, Ní Bhriain, Fitzgerald, Kavanagh, Gallagher, Ó Súilleabháin,
    Patel, Shah, Sharma, Gupta, Iyer, Khan, Hussain, Ahmed, Al-Sayed, Chen, Li, Wang,
    Zhang, Nguyen, Tran, Kim, Park, Tanaka, Sato, Mensah, Owusu, Boateng, Okafor, Adeyemi,
    Eze, García, Fernández, López, Martínez, Pérez, Gonçalves, Araújo, Müller, Schröder,
    Weiß, Åkesson, Løvgren, Kowalski, Wiśniewska, Nowak, Dvořák, Novák, Horváth, Rossi,
    Esposito, Bianchi, Dubois, Lefèvre, Moreau, Van der Berg, de Jong, Papadopoulos,
    Yilmaz, Ivanova, Cohen, Levi, Haddad
    """
)

ANONYMOUS_WALK_INS = (
    "Tall man in a green raincoat, looking at kettles",
    "Couple with a pram, asking about baby bottles",
    "Student after a cheap frying pan",
    "Woman in a yellow coat, browsing the glassware",
    "Older gent asking about knife sharpening",
    "Builder asking for a flask",
    "Two friends choosing a wedding gift",
    "Man with a broken grinder in a bag",
    "Teenager buying a birthday mug",
    "Woman asking where the post office moved to",
)
KIOSK_FIRST_NAMES = ("Ama", "Tom", "Lucía", "Ravi", "Joan", "Hana", "Kofi", "Zoë")
PREFERENCES = (
    "Collects blue-and-white Cornishware; tell her when new pieces come in.",
    "Prefers stainless steel over non-stick. Left-handed (knives!).",
    "Vegan household: no leather or bone-handled items.",
    "Likes to be shown two or three options, not the whole range.",
    "Buys gifts for a large family; keeps a running list with us.",
    "Keen home baker: bread tins, proving baskets, anything sourdough.",
    "Has a small flat; asks about storage and nesting sets first.",
    "Coffee enthusiast: hand grinders, pour-over, the good beans.",
    "Prefers to pay by card and get receipts by email.",
    "Very particular about Le Creuset colours: volcanic or cerise only.",
)
STANDING_NEEDS = (
    (NeedKind.ACCESSIBILITY, "Uses a wheelchair; bring items to the low counter"),
    (NeedKind.ACCESSIBILITY, "Hard of hearing: face her and speak clearly"),
    (NeedKind.LANGUAGE, "Speaks Portuguese; some English"),
    (NeedKind.LANGUAGE, "Prefers Polish; a little English"),
    (NeedKind.BROWSE_PRIVATELY, "Likes to look around alone first; will ask when ready"),
    (NeedKind.NEEDS_HELP, "Partially sighted: read labels and prices aloud"),
)
CUSTOMER_NOTES = (
    "Looking for a gift under £40 for her daughter's new flat.",
    "Asked about the service plan for espresso machines.",
    "Coming back with the measurements for the shelf.",
    "Bought the wrong size lid last time; check before she pays.",
    "Interested in the knife-skills evening if we run another.",
    "Allergic to latex; use the nitrile gloves when demonstrating.",
    "Pays for his mother's orders too; she lives at the same address.",
    "Regular on Saturday mornings; likes a chat about the football.",
)
VISIT_NOTES = (
    "Compared three kettles; liked the quiet one but it was over budget.",
    "Wants the 28 cm pan in stock before her sister's visit.",
    "Asked whether we can engrave the chopping board.",
    "Measured her hob: induction, so only the clad pans will do.",
    "Not sure about the colour; will come back with his partner.",
    "Brought the old grinder for parts; we may be able to fix it.",
    "Needed a gift receipt; put one in the bag.",
    "Browsed quietly for twenty minutes, then asked about the teapots.",
)
PERSONAL_LINES = (
    "Hope the cast-iron skillet gives you years of Sunday breakfasts.",
    "Enjoy the new grinder; try the medium setting for your moka pot.",
    "The linen tea towels will soften nicely after a few washes.",
    "Good luck with the housewarming, the glasses will look wonderful.",
    "Let me know how the sourdough starter kit works out for you.",
    "Your sharpened knives should glide through tomatoes now.",
    "Happy birthday to your sister, she will love that teapot.",
    "The replacement seal should stop the drip for good.",
)
THANK_YOU_DONE = (
    "Sent by email with a note about care instructions.",
    "Texted a short thank-you and the cleaning tips.",
    "Rang to say thanks; she is delighted with it.",
    "Handwritten card posted this morning.",
)
CALLBACK_TOPICS = (
    "Whether the 24 cm casserole is back in stock",
    "Price for re-grinding a set of six knives",
    "When the espresso machine repair will be ready",
    "Delivery date for the dining chairs order",
    "Whether we can match the discontinued dinner plates",
)
CALLBACK_DONE = (
    "Called; in stock Thursday, put one aside.",
    "Called and left a message with the price.",
    "Spoke to him; ready Friday after 2 pm.",
    "Texted the delivery date; she confirmed.",
)
PROMISES = (
    "Ring when the walnut chopping boards arrive",
    "Check the supplier for a replacement lid",
    "Hold the last blue teapot until Saturday",
    "Email the care guide for carbon-steel pans",
    "Find out if the grinder burrs are still made",
)
REPAIRS = (
    "Espresso machine repair (ticket 4411): new pump on order",
    "Stand mixer repair (ticket 4415): waiting for the gearbox",
    "Knife set re-grind (ticket 4420): at the workshop",
)
CONSENT_SOURCES = (
    "signed the loyalty card form",
    "asked at the counter",
    "ticked the box on the repair ticket",
    "website order checkout",
    "agreed on the phone",
)

# Customers with a story, placed first so today's floor and follow-ups can use them.
FEATURED = (
    "Margaret O'Neill",
    "José Álvarez",
    "Zoë Fitzgerald",
    "Siobhán Ní Bhriain",
    "Kwame Mensah",
    "Nguyễn Thị Lan",
    "Björn Åkesson",
    "Fatima Al-Sayed",
    "Aoife D'Arcy",
    "Tomás Ó Súilleabháin",
    "Li Wei",
    "Renée Dubois",
)
FEATURED_NEEDS: dict[str, tuple[str, str]] = {
    "Siobhán Ní Bhriain": (
        NeedKind.ACCESSIBILITY,
        "Uses a wheelchair; bring items to the low counter",
    ),
    "José Álvarez": (NeedKind.LANGUAGE, "Prefers Spanish"),
    "Nguyễn Thị Lan": (NeedKind.BROWSE_PRIVATELY, "Likes to look around alone first"),
    "Fatima Al-Sayed": (NeedKind.NEEDS_HELP, "Partially sighted: read labels and prices aloud"),
}
PROMISE_CUSTOMERS = 3 * len(DEMO_STAFF)


DEMO_FEEDBACK: tuple[tuple[int, tuple[str, ...], int | None, str], ...] = (
    (2, ("parking",), 3, "Couldn't find anywhere to park; the bay out front is always taken by vans."),
    (5, ("parking",), 2, "Drove round twice for a space. Nearly went to the big store instead."),
    (9, ("parking", "opening hours"), 3, "Parking is hard after work, and you close at half five."),
    (12, ("opening hours",), 4, "Would love a late night on Thursdays; I work until six."),
    (16, ("opening hours",), None, "Saturday closing at four is early for a shop like this."),
    (3, ("card machine",), 2, "The card machine failed twice and I had to go to the cash point."),
    (6, ("card machine",), 3, "Contactless didn't work again."),
    (1, ("staff",), 5, "Sam spent twenty minutes helping me choose a knife. Brilliant."),
    (20, ("staff",), 5, "Lovely, patient help with my mother's wheelchair at the low counter."),
    (7, ("stock",), 3, "You were out of the 2 litre kettle descaler again."),
)
DEMO_KUDOS: tuple[tuple[int, str, str], ...] = (
    (1, "Sam", "Spent twenty minutes finding the right knife with a first-time customer."),
    (4, "Mei", "Noticed a customer waiting by the door and greeted her before anyone else could."),
    (9, "Jordan", "Called back every customer on the repair list before close on Friday."),
)
