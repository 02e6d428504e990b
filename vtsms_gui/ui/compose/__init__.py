"""Writing the message: the editor and its counter, options, templates, the cost line."""
