"""Rasa channel connectors for the chat apps: Telegram, and WhatsApp through Twilio."""
