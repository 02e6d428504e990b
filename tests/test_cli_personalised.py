"""`vtsms send` and `vtsms count` with a personalised message, against the simulator."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from vtsms_gui.cli.main import main
from vtsms_gui.simulator import SimulatorServer

ROWS = (
    "Client code,Mobile,Given name,Course\n"
    "03037,0491570156,Jack,Cert III\n"
    ',0491570157,"Zoë & <Mia>",\n'
    ",0491570158,,Cert IV\n"
)


@pytest.fixture
def sim() -> Iterator[SimulatorServer]:
    with SimulatorServer(port=0) as server:
        yield server


@pytest.fixture(autouse=True)
def password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VTSMS_PASSWORD", "demo")


@pytest.fixture
def rows(tmp_path: Path) -> Path:
    path = tmp_path / "class.csv"
    path.write_text(ROWS, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def send(capsys: pytest.CaptureFixture[str], sim: SimulatorServer, rows: Path, message: str):  # type: ignore[no-untyped-def]
    return run(
        capsys, "send", "--server", sim.url, "-u", "demo", "--yes", "--json",
        "--recipients", str(rows), "--message", message,
    )  # fmt: skip


def test_each_row_is_sent_its_own_text_and_json_says_which(
    capsys: pytest.CaptureFixture[str], sim: SimulatorServer, rows: Path
) -> None:
    code, out, err = send(capsys, sim, rows, "Hi {Given name|there}, {Course} starts at 9.")

    assert code == 0, err
    texts = [r["text"] for r in json.loads(out)["recipients"]]
    assert texts == [
        "Hi Jack, Cert III starts at 9.",
        "Hi there, Cert IV starts at 9.",
    ]
    assert sorted(s.message for s in sim.sent) == sorted(texts)
    # The row with no Course is left out, with a reason naming the column.
    assert "row 2: no Course" in err


def test_an_unknown_placeholder_stops_before_any_request(
    capsys: pytest.CaptureFixture[str], sim: SimulatorServer, rows: Path
) -> None:
    code, _, err = send(capsys, sim, rows, "Hi {First name}")

    assert code == 2
    assert '"First name"' in err and "Given name, Course" in err
    assert sim.requests == []  # not even a sign-in
    # The message is at fault, not the rows: no row is listed as left out "no First name",
    # and nothing claims the list has no row to send to.
    assert "Excluded row" not in err and "No row in the list" not in err


def test_a_brace_with_no_end_is_named_with_its_place(
    capsys: pytest.CaptureFixture[str], sim: SimulatorServer, rows: Path
) -> None:
    code, _, err = send(capsys, sim, rows, "Hi {Given name, see you")
    assert code == 2 and "a { with no } at character 4" in err
    assert sim.requests == []


def test_count_gives_the_range_of_parts_and_the_total_credits(
    capsys: pytest.CaptureFixture[str], rows: Path
) -> None:
    long = "x" * 150
    code, out, _ = run(
        capsys, "count", "--json", "--recipients", str(rows), f"{long} {{Given name|there}}"
    )
    assert code == 0
    counted = json.loads(out)
    # "… Jack" and "… there" fit one SMS; Zoë's name needs Unicode, so three parts.
    assert (counted["min_parts"], counted["max_parts"], counted["credits"]) == (1, 3, 5)
    assert (counted["recipients"], counted["unicode_rows"]) == (3, 1)
    assert counted["excluded"] == []


def test_one_recipient_is_said_in_the_singular(
    capsys: pytest.CaptureFixture[str], sim: SimulatorServer, rows: Path
) -> None:
    code, _, err = run(
        capsys, "send", "--server", sim.url, "-u", "demo", "--yes",
        "--recipients", str(rows), "--message", "{Client code}: room 4",
    )  # fmt: skip
    assert code == 0, err
    assert ": 1 recipient\n" in err  # not "1 recipients"
