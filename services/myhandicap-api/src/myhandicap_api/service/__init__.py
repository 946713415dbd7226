"""Use cases of MyHandicap and the ports they need."""
