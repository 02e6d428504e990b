"""What every part of the window shares: theme, icons, wording, banners, workers, the crash
dialog, settings and the one way to ask or tell the user something."""
