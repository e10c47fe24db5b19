"""Rasa adapters: our NLU components and channel connectors.

The only part of bot/ that imports Rasa."""
