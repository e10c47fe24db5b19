"""Rasa NLU components: entity values, sentence embeddings, intent classifier, red-flag check."""
