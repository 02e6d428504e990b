"""Sending from the window: confirmation, the background send, exporting results."""
