"""The message counter in words, for screen readers: "25 of 160 characters, 1 SMS (GSM-7);
135 left before another SMS part is needed"."""

from __future__ import annotations

from vtsms_gui.domain.sms_text import Encoding, TextAnalysis


def spoken_counter(analysis: TextAnalysis) -> str:
    encoding = "plain characters (GSM-7)" if analysis.encoding is Encoding.GSM7 else "Unicode"
    parts = f"{analysis.segments} SMS" if analysis.segments != 1 else "1 SMS"
    return (
        f"{analysis.units} of {analysis.capacity} characters, {parts}, {encoding}; "
        f"{analysis.units_left} left before another SMS part is needed."
    )
