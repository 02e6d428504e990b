"""Benchmark of personalised messages: render and count 10,000 rows (target: at most 100 ms).

Run as `.venv/bin/python tests/benchmarks/bench_personalise.py [--seed N] [--rows N]`; inputs
are deterministic. Baselines measured in the same run, in turns, so both see the same load:
`analyse` of one plain message once per row (the cost of counting 10,000 texts naively), and
the unpersonalised plan build over the same rows.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable

from vtsms_gui.domain.column_mapping import detect_mapping
from vtsms_gui.domain.personalise import personalise
from vtsms_gui.domain.phone import PhoneParser
from vtsms_gui.domain.recipients import check_recipients, recipients_from_table
from vtsms_gui.domain.send_plan import SendOptions, build_plan
from vtsms_gui.domain.sms_text import analyse
from vtsms_gui.domain.tables import Table

RUNS = 9
TEMPLATE = (
    "Hi {Given name|there}, your {Course} class is on {Day} at 9am in Building B. "
    "Bring your USI and photo ID. Reply STOP to opt out."
)
# Every text distinct: the client code in the text defeats the cache by text.
DISTINCT = "Hi {Given name|there} ({Client code}), your {Course} class is on {Day} at 9am."
PLAIN = (
    "Hi there, your class is on Monday at 9am in Building B. "
    "Bring your USI and photo ID. Reply STOP to opt out."
)
_GIVEN = [
    "Olivia",
    "Noah",
    "Charlotte",
    "Oliver",
    "Amelia",
    "Jack",
    "Isla",
    "William",
    "Mia",
    "Leo",
    "Ava",
    "Lucas",
    "Grace",
    "Henry",
    "Chloe",
    "Thomas",
    "Ruby",
    "James",
    "Sophie",
    "Liam",
    "Emily",
    "Ethan",
    "Harper",
    "Mason",
    "Zara",
    "Nguyen",
    "Priya",
    "Mohammed",
    "Aroha",
    "Wei",
    "Sione",
    "Fatima",
    "Hamish",
    "Matilda",
    "Archie",
]
_SPECIAL = ["Zoë", "Jürgen", "Chloé", "Björn", "Mia 😀", "Renée", "Siobhán", "Åsa"]
_COURSES = [
    "Certificate III in Individual Support",
    "Diploma of Nursing",
    "Certificate IV in Training and Assessment",
    "Certificate III in Early Childhood Education and Care",
    "Certificate II in Construction Pathways",
    "Diploma of Leadership and Management",
]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def make_table(rng: random.Random, rows: int) -> Table:
    body = []
    for i in range(rows):
        name = rng.choice(_SPECIAL) if rng.random() < 0.02 else rng.choice(_GIVEN)
        if rng.random() < 0.01:
            name = ""  # falls back to "there"
        body.append(
            (
                f"{10000 + i}",
                f"04{rng.randrange(10**8):08d}",
                name,
                rng.choice(_COURSES),
                rng.choice(_DAYS),
            )
        )
    return Table((("Client Code", "Mobile", "Given Name", "Course", "Day"), *body), "bench")


def median_ms(call: Callable[[], object]) -> float:
    return statistics.median(_timings(call)) * 1e3


def _timings(call: Callable[[], object]) -> list[float]:
    out = []
    for _ in range(RUNS):
        start = time.perf_counter()
        call()
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--seed", type=int, default=20261205)
    options.add_argument("--rows", type=int, default=10_000)
    args = options.parse_args()
    rng = random.Random(args.seed)
    table = make_table(rng, args.rows)
    checked = check_recipients(recipients_from_table(table, detect_mapping(table)), PhoneParser())
    sendable = [item.sendable for item in checked]
    send = SendOptions()

    # In turns: each figure is the median of RUNS, the runs interleaved.
    calls: dict[str, Callable[[], object]] = {
        "render": lambda: personalise(TEMPLATE, checked, sendable=sendable),
        "render_with_sendable": lambda: personalise(TEMPLATE, checked),
        "render_distinct": lambda: personalise(DISTINCT, checked, sendable=sendable),
        "baseline_analyse": lambda: [analyse(PLAIN) for _ in range(args.rows)],
        "plan_personalised": lambda: build_plan(TEMPLATE, checked, send),
        "plan_plain": lambda: build_plan(PLAIN, checked, send),
    }
    timings: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(RUNS):
        for name, call in calls.items():
            start = time.perf_counter()
            call()
            timings[name].append(time.perf_counter() - start)
    ms = {name: statistics.median(t) * 1e3 for name, t in timings.items()}

    result = personalise(TEMPLATE, checked, sendable=sendable)
    summary = result.summary
    plan = build_plan(TEMPLATE, checked, send)
    distinct = len({r.text for r in result.rows})
    print(
        f"vtsms personalise benchmark (seed {args.seed}, {args.rows:,} rows, "
        f"{distinct:,} distinct texts, 3 placeholders, median of {RUNS})"
    )
    print(
        f"  counter: {summary.counter_text()}; {summary.credits:,} credits; "
        f"{len(plan.batches):,} batches"
    )
    rows = [
        ("personalise: render + count (sendable known)", ms["render"], "target <= 100 ms"),
        ("personalise incl. CheckedRecipient.sendable", ms["render_with_sendable"], ""),
        ("personalise, 4 fields, every text distinct", ms["render_distinct"], "target <= 100 ms"),
        (f"baseline: analyse(plain message) x {args.rows:,}", ms["baseline_analyse"], ""),
        ("build_plan, personalised", ms["plan_personalised"], ""),
        ("build_plan, plain message (as before)", ms["plan_plain"], ""),
    ]
    width = max(len(name) for name, _, _ in rows)
    for name, value, note in rows:
        print(f"  {name:<{width}}  {value:>9,.1f} ms  {note}")
    print(f"  render / baseline analyse          {ms['render'] / ms['baseline_analyse']:.2f}")
    print(f"  personalised / plain plan build    {ms['plan_personalised'] / ms['plan_plain']:.2f}")


if __name__ == "__main__":
    main()
