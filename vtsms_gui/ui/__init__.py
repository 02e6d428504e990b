"""The Qt window: models, widgets, dialogs and workers. Qt is imported only below here."""
