"""The product's behaviour, once, under both faces (no Qt)."""
