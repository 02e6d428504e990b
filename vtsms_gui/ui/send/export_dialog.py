"""File › Export results: ask where, write the grid's rows and results as CSV, say so."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from vtsms_gui.ui.common import wording
from vtsms_gui.ui.common.feedback import feedback
from vtsms_gui.ui.recipients.recipients_model import RecipientsModel
from vtsms_gui.ui.send.results_export import export_results


def export_with_dialog(
    parent: QWidget, model: RecipientsModel, show_status: Callable[[str, int], None]
) -> None:
    stamp = datetime.now().strftime("%Y-%m-%d-%H%M")
    path, _ = QFileDialog.getSaveFileName(
        parent, "Export results", f"sms-results-{stamp}.csv", "CSV files (*.csv)"
    )
    if not path:
        return
    try:
        count = export_results(model, Path(path))
    except OSError as error:
        feedback().tell(
            parent,
            "Export results",
            f"The file could not be written: {wording.sentence(error.strerror or str(error))}",
        )
        return
    show_status(f"Exported {wording.count(count, 'row')} to {Path(path).name}.", 8000)
