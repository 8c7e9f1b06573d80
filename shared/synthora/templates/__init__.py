"""Video templates: the config model, its validation and the seeded system templates."""
