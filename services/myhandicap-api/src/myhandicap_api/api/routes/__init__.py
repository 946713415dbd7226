"""The routes of the MyHandicap API."""
