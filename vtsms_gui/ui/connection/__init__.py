"""Signing in to VETtrak from the window: the connection worker, sign-in dialog, SOAP log."""
