"""Thin Rasa SDK actions: read the tracker, call bot/, utter a domain.yml response."""

from bot.privacy.log_redaction import install_log_redaction

# The action server logs what patients typed (fallback questions, slot values) like Rasa does:
# nothing personal may reach its log either.
install_log_redaction()
