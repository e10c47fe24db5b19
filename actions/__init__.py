"""Thin Rasa SDK actions: read the tracker, call bot/, utter a domain.yml response."""
