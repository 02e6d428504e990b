"""Benchmark of the domain core: SMS text analysis and phone-number validation.

Run as `.venv/bin/python tests/benchmarks/bench_core.py [--seed N]`; inputs are deterministic.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable, Sequence

import phonenumbers

from vtsms_gui.domain.phone import PhoneParser
from vtsms_gui.domain.sms_text import analyse

MESSAGE_LENGTH = 1_600
ANALYSE_RUNS = 301
NUMBER_COUNT = 50_000
BEST_OF = 3

_GSM_TEXT = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,!?'-:;()@£$"
_UCS2_EXTRAS = "’“”–é😀"


def message(rng: random.Random, ucs2: bool) -> str:
    chars = rng.choices(_GSM_TEXT, k=MESSAGE_LENGTH)
    if ucs2:  # a few pasted-from-Word characters and an emoji turn the whole text UCS-2
        for i in rng.sample(range(MESSAGE_LENGTH), 8):
            chars[i] = rng.choice(_UCS2_EXTRAS)
    return "".join(chars)


def median_microseconds(call: Callable[[], object], runs: int) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1e6


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choices("0123456789", k=n))


def au_mobile(rng: random.Random) -> str:
    """A mobile from ranges that are in use, in one of the shapes staff paste."""
    nsn = "4" + rng.choice("01236") + _digits(rng, 7)
    a, b, c = nsn[:3], nsn[3:6], nsn[6:]
    shapes = [
        f"0{a} {b} {c}",
        f"0{a}-{b}-{c}",
        f"(0{nsn[:1]}) {nsn[1:5]} {nsn[5:]}",
        f"+61 {a} {b} {c}",
        f"61{nsn}",
        nsn,
        f"0{nsn}",
        f"{nsn}.0",
        f"{nsn[0]}.{nsn[1:]}E+08",
        f"{nsn[0]}.{nsn[1:]}e8",
        f"{a},{b},{c}",
        f"0{a}\u00a0{b}\u202f{c}",
        f"\t0{a} {b} {c} ",
        f"0061 {a} {b} {c}",
    ]
    return rng.choice(shapes)


def au_landline(rng: random.Random) -> str:
    return rng.choice(
        [
            f"02 9{_digits(rng, 3)} {_digits(rng, 4)}",
            f"(03) 9{_digits(rng, 3)} {_digits(rng, 4)}",
            f"07 3{_digits(rng, 3)} {_digits(rng, 4)}",
            f"08 9{_digits(rng, 3)} {_digits(rng, 4)}",
            f"1300 {_digits(rng, 3)} {_digits(rng, 3)}",
            f"1800 {_digits(rng, 3)} {_digits(rng, 3)}",
        ]
    )


def invalid(rng: random.Random) -> str:
    nsn = "4" + rng.choice("0123") + _digits(rng, 7)
    return rng.choice(
        [
            f"0{nsn[:-1]}",  # a digit dropped
            f"0{nsn}{rng.choice('0123456789')}",  # a digit added
            f"0{nsn[:4]}O{nsn[5:]}",  # letter O for zero
            f"0441 {_digits(rng, 3)} {_digits(rng, 3)}",  # a range not in use
            "n/a",
            "",
            f"4.{_digits(rng, 2)}E+08",  # Excel lost the digits
        ]
    )


def international(rng: random.Random) -> str:
    return rng.choice(
        [
            f"+64 21 {_digits(rng, 3)} {_digits(rng, 4)}",
            f"+44 7400 {_digits(rng, 6)}",
            f"+65 9{_digits(rng, 3)} {_digits(rng, 4)}",
            f"+91 98{_digits(rng, 3)} {_digits(rng, 5)}",
            f"+1 212 555 {_digits(rng, 4)}",
        ]
    )


def mixed_numbers(rng: random.Random, count: int) -> list[str]:
    makers = [au_mobile] * 70 + [au_landline] * 10 + [invalid] * 10 + [international] * 10
    return [rng.choice(makers)(rng) for _ in range(count)]


def best_seconds(*calls: Callable[[], object]) -> list[float]:
    """Best of BEST_OF timings of each call, taken in turns so both see the same machine load."""
    best = [float("inf")] * len(calls)
    for _ in range(BEST_OF):
        for i, call in enumerate(calls):
            start = time.perf_counter()
            call()
            best[i] = min(best[i], time.perf_counter() - start)
    return best


def validate_all(numbers: Sequence[str]) -> int:
    parser = PhoneParser()
    return sum(parser.parse(n).ok for n in numbers)


def naive_validate_all(numbers: Sequence[str]) -> int:
    valid = 0
    for n in numbers:
        try:
            number = phonenumbers.parse(n, "AU")
        except phonenumbers.NumberParseException:
            continue
        valid += phonenumbers.is_valid_number(number)
    return valid


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--seed", type=int, default=20261124)
    seed = options.parse_args().seed
    rng = random.Random(seed)

    gsm, ucs2 = message(rng, ucs2=False), message(rng, ucs2=True)
    assert analyse(gsm).encoding.value == "GSM-7" and analyse(ucs2).encoding.value == "UCS-2"
    gsm_us = median_microseconds(lambda: analyse(gsm), ANALYSE_RUNS)
    ucs2_us = median_microseconds(lambda: analyse(ucs2), ANALYSE_RUNS)

    numbers = mixed_numbers(rng, NUMBER_COUNT)
    ours, naive = best_seconds(lambda: validate_all(numbers), lambda: naive_validate_all(numbers))
    mobiles = validate_all(numbers)

    rows = [
        (f"analyse {MESSAGE_LENGTH:,}-char GSM-7 message", f"{gsm_us:,.1f} µs", "median"),
        (f"analyse {MESSAGE_LENGTH:,}-char UCS-2 message", f"{ucs2_us:,.1f} µs", "median"),
        (f"PhoneParser.parse x {NUMBER_COUNT:,}", f"{ours * 1e3:,.1f} ms", f"best of {BEST_OF}"),
        (f"naive phonenumbers x {NUMBER_COUNT:,}", f"{naive * 1e3:,.1f} ms", f"best of {BEST_OF}"),
        ("PhoneParser / naive", f"{ours / naive:.2f}", "target <= 0.50"),
    ]
    width = max(len(name) for name, _, _ in rows)
    print(
        f"vtsms core benchmark (seed {seed}, {mobiles:,} of {NUMBER_COUNT:,} numbers are mobiles)"
    )
    for name, value, note in rows:
        print(f"  {name:<{width}}  {value:>12}  {note}")


if __name__ == "__main__":
    main()
