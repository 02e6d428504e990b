"""Rasterise the app icon (resources/icons/app/vtsms-gui.svg) into PNG sizes, a Windows .ico and a
macOS .icns. Run it after editing the SVG; its outputs are committed, so builds never need it.

Qt's own SVG renderer draws (already a dependency, works offscreen); Pillow writes .ico/.icns.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from PIL import Image, ImageQt
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

APP_ICON_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons" / "app"
NAME = "vtsms-gui"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
# Windows picks 20/40 px at 125 %/250 % scaling; 256 is the largest an .ico holds.
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
# Pillow writes the Retina (@2x) entries of an .icns from these, up to 512@2x.
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def render(renderer: QSvgRenderer, size: int) -> Image.Image:
    """The SVG drawn at `size` x `size` pixels (drawn at that size, not scaled down)."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return ImageQt.fromqimage(image).convert("RGBA")


def png_name(size: int) -> str:
    return f"{NAME}-{size}.png"


def write_icons(source: Path, out_dir: Path) -> list[Path]:
    """Write every PNG size, vtsms-gui.ico and vtsms-gui.icns into `out_dir`; return the paths."""
    renderer = QSvgRenderer(str(source))
    if not renderer.isValid():
        raise ValueError(f"{source} is not an SVG that Qt can draw")
    sizes = sorted({*PNG_SIZES, *ICO_SIZES, *ICNS_SIZES})
    images = {size: render(renderer, size) for size in sizes}
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for size in PNG_SIZES:
        path = out_dir / png_name(size)
        images[size].save(path, format="PNG", optimize=True)
        written.append(path)
    written.append(_save_multi(out_dir / f"{NAME}.ico", "ICO", [images[s] for s in ICO_SIZES]))
    written.append(_save_multi(out_dir / f"{NAME}.icns", "ICNS", [images[s] for s in ICNS_SIZES]))
    return written


def _save_multi(path: Path, file_format: str, images: Iterable[Image.Image]) -> Path:
    """One file holding every image: Pillow uses each given size as is instead of resampling."""
    largest, *others = sorted(images, key=lambda image: image.width, reverse=True)
    largest.save(
        path,
        format=file_format,
        sizes=[image.size for image in (largest, *others)],
        append_images=others,
    )
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", type=Path, default=APP_ICON_DIR / f"{NAME}.svg")
    parser.add_argument("--out", type=Path, default=APP_ICON_DIR, help="folder for the outputs")
    args = parser.parse_args(argv)
    for path in write_icons(args.source, args.out):
        print(f"wrote {path} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
