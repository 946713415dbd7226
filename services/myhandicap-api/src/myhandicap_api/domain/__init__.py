"""The MyHandicap rules: who may open a dossier, and what a dossier holds."""
