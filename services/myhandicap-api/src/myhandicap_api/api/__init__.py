"""The HTTP edge of MyHandicap: app factory, dependencies, schemas and routes."""
