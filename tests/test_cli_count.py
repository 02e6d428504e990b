"""`vtsms count`: analysis for a person, one JSON object for a script, and a fast start."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from vtsms_gui.cli.main import main


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    assert main(["count", "--json", *argv]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1, "exactly one JSON object on one line"
    result: dict[str, object] = json.loads(out)
    return result


def test_json_has_exactly_the_documented_keys(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_json(capsys, "Hi Olivia, class moves to room 4.")
    assert result == {
        "encoding": "GSM-7",
        "units": 33,
        "segments": 1,
        "units_left": 127,
        "non_gsm": [],
        "invalid": [],
    }


def test_unicode_characters_are_listed_once_in_order(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_json(capsys, "It’s “on” – it’s\u00a0on")
    assert result["encoding"] == "UCS-2"
    assert result["non_gsm"] == ["’", "“", "”", "–", "\u00a0"]


def test_text_is_counted_exactly_as_given(capsys: pytest.CaptureFixture[str]) -> None:
    decomposed = "Cafe\u0301"  # e + combining acute: not normalised to é
    assert run_json(capsys, decomposed)["encoding"] == "UCS-2"
    assert run_json(capsys, "ç")["encoding"] == "UCS-2"
    assert run_json(capsys, "Ç")["encoding"] == "GSM-7"


def test_empty_text_is_zero_units_and_one_part(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_json(capsys, "")
    assert (result["units"], result["segments"], result["units_left"]) == (0, 1, 160)


def test_text_starting_with_a_dash_after_double_dash(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_json(capsys, "--", "-5 degrees tonight")["units"] == 18


def test_form_feed_is_gsm_but_cannot_be_sent(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_json(capsys, "a\x0cb")
    assert result["encoding"] == "GSM-7"
    assert result["units"] == 4
    assert result["invalid"] == ["\x0c"]


def test_file_input_keeps_crlf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "message.txt"
    path.write_bytes("Line one\r\nLine two €".encode())
    result = run_json(capsys, "--file", str(path))
    assert result["units"] == 8 + 2 + 10 + 1


def test_missing_file_is_a_plain_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["count", "--file", str(tmp_path / "nope.txt")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("vtsms: cannot read") and "Traceback" not in err


def test_human_output_names_the_offending_characters(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["count", "See you – Mia 😀"]) == 0
    out = capsys.readouterr().out
    assert "Unicode" in out and "2 SMS" not in out
    assert "U+2013" in out and "U+1F600" in out


def test_count_imports_no_qt_zeep_or_spreadsheet_reader() -> None:
    code = (
        "import sys\n"
        "from vtsms_gui.cli.main import main\n"
        "assert main(['count', '--json', 'hello']) == 0\n"
        "heavy = {'PySide6', 'shiboken6', 'zeep', 'lxml', 'requests', 'python_calamine',"
        " 'openpyxl', 'keyring', 'phonenumbers'}\n"
        "loaded = sorted({m.split('.')[0] for m in sys.modules} & heavy)\n"
        "print('LOADED', loaded)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert "LOADED []" in out
