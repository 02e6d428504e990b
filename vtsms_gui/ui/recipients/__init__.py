"""The recipient grid: its model, the panel around it, and the import dialog."""
