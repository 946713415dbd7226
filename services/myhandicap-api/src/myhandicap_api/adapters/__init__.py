"""Adapters: the database, and the mandate register (SSM) over HTTP."""
