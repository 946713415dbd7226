"""Development identity provider and fictional register; never for production."""
