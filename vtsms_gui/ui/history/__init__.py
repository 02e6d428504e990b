"""Past sends in the window: recovery notice, the History window, resending."""
