"""The demo's client (student) table: fictional people, and only numbers ACMA keeps for fiction.

Every mobile is one of the 30 numbers the ACMA reserves for use in fiction (0491 570 006,
0491 570 156 ...), so a demo or test that leaks to a real gateway can reach nobody. Some are
stored in other shapes (no spaces, +61, 61...), as real VETtrak data is; four numbers are on
two clients each (siblings on a parent's mobile, an old number kept on file); six clients have
no mobile; five opted out of marketing.
"""

from __future__ import annotations

from vtsms_gui.simulator.models import SimClient

# (code, first name, last name, mobile or None, opted out of marketing)
_ROWS: tuple[tuple[str, str, str, str | None, bool], ...] = (
    ("00125", "Olivia", "Nguyen", "0491 570 006", False),
    ("03037", "Jack", "Wilson", "0491 570 156", False),
    ("00007", "Aarav", "Patel", "0491 570 157", False),
    ("01250", "Mia", "Thompson", "0491 570 158", True),
    ("04410", "Kirra", "Walker", "0491 570 159", False),
    ("02718", "Liam", "O'Brien", "0491570110", False),
    ("00342", "Priya", "Sharma", "0491 570 313", False),
    ("05120", "Ethan", "Chen", "0491 570 737", False),
    ("05121", "Mei Lin", "Chen", "0491570737", False),
    ("00981", "Zoe", "Papadopoulos", "0491 571 266", False),
    ("01776", "Mohammed", "Haddad", "+61 491 571 491", False),
    ("03390", "Isla", "Smith", "0491 571 804", True),
    ("00056", "Lachlan", "Brown", None, False),
    ("02204", "Grace", "Kim", "0491 572 549", False),
    ("04087", "Tahlia", "Jones", "0491 572 665", False),
    ("00619", "Hamish", "MacDonald", "61491572983", False),
    ("03815", "Sophie", "Tran", "0491 573 770", False),
    ("01402", "Jarrah", "Roberts", "0491 573 087", False),
    ("00233", "Harper", "Singh", None, False),
    ("02960", "Oliver", "Rossi", "0491 574 118", True),
    ("04555", "Amelia", "Le", "0491 574 632", False),
    ("00888", "Cooper", "Taylor", "0491 575 254", False),
    ("01931", "Matilda", "Anderson", "0491 575 789", False),
    ("03102", "William", "Ahmed", None, False),
    ("00470", "Charlotte", "Dimitriou", "0491 576 398", False),
    ("02345", "Jayden", "Lee", "0491 576 801", False),
    ("04999", "Ruby", "Campbell", "0491 577 426", True),
    ("00164", "Hiroshi", "Tanaka", "0491 577 644", False),
    ("01088", "Fatima", "Hussain", "0491 578 957", False),
    ("03561", "Lucas", "Silva", "0491 578 148", False),
    ("00702", "Ella", "Murphy", None, False),
    ("02077", "Xavier", "Nguyen", "0491 578 888", False),
    ("04321", "Tane", "Ngata", "0491 579 212", False),
    ("00399", "Aisha", "Abdi", "0491 579 760", False),
    ("01515", "Archie", "Kelly", "0491 579 455", True),
    ("01516", "Sienna", "Kelly", "+61491579455", False),
    ("10452", "Isabella", "García", None, False),
    ("12001", "Noah", "Williams", "0491 570 006", False),
    ("A1042", "Chloé", "Martin", None, False),
    ("00010", "Bilal", "Rahimi", "0491 572 549", False),
)


def demo_clients() -> list[SimClient]:
    """A fresh copy of the demo table (40 clients), safe for a caller to change."""
    return [
        SimClient(code, first, last, mobile, opt_out)
        for code, first, last, mobile, opt_out in _ROWS
    ]


# --- practice students: a list to paste in the demo ---------------------------------------------

PRACTICE_MESSAGE = (
    "Hi from Riverside College: your First Aid class tomorrow starts at 9 am in Room 4. "
    "Reply STOP to opt out."
)
"""The sample message offered with the practice students (plain characters: 1 SMS each)."""

PRACTICE_HEADERS = ("Client code", "Name", "Mobile")


def practice_students() -> list[tuple[str, str, str]]:
    """Rows to try the whole flow in the demo: (client code, name, mobile as typed).

    Taken from the demo's own clients, so their codes exist on the demo server, plus the rows a
    real list holds: a code Excel shortened (3037 for 03037), a landline, a number cut short, a
    student who opted out of marketing (fails when Marketing is ticked) and a code the demo does
    not know (fails after the send, as VETtrak does)."""
    clients = {client.code: client for client in demo_clients()}

    def row(code: str, mobile: str | None = None) -> tuple[str, str, str]:
        client = clients[code]
        return (code, client.full_name, (client.mobile or "") if mobile is None else mobile)

    return [
        row("00125"),
        ("3037", clients["03037"].full_name, clients["03037"].mobile or ""),  # Excel's 03037
        row("00007"),
        row("01250"),  # opted out of marketing
        row("04410"),
        row("00342", "07 3000 1234"),  # a landline: sent to the mobile VETtrak holds
        ("", "Sam Visitor", "0412 3"),  # cut short: not sent
        ("", "Ava Walk-in", "(07) 5555 0199"),  # a landline without a code: it will fail
        row("02204"),
        ("99999", "Riley Unknown", ""),  # not a client of the demo: VETtrak says not found
    ]
