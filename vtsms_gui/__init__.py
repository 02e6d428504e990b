"""vtsms-gui: send SMS to students through a VETtrak server (VT_API.asmx)."""

# The one version number of the project: pyproject.toml reads it from here, so do
# installed copies, frozen builds and the About box.
__version__ = "0.1.0"
