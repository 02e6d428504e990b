"""`vtsms simulator`: run the local VT_API simulator until interrupted."""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    from vtsms_gui.simulator.run import run_forever

    return run_forever(port=args.port)
