"""Knowledge-base tools: read and validate the curated files, load them into the database."""
