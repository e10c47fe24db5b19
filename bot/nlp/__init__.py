"""spaCy helpers for MesoGuide."""
