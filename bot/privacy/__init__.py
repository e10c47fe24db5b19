"""Personal data: found and replaced before anything is stored or logged (redaction), and
forgotten on request or after a time (erasure)."""
