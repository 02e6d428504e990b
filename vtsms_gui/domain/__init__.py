"""Pure logic with no Qt, network or disk: SMS text, phone numbers, recipients, send plans."""
