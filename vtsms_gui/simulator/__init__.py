"""A local VT_API server that behaves like VETtrak: the demo backend and the tests' peer."""
