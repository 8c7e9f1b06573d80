"""Domain services: keyword-only functions that take ports and return models."""
