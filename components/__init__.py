"""Custom Rasa NLU components (thin: the logic lives in bot/)."""
