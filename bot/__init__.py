"""MesoGuide core: knowledge base and conversation logic, free of Rasa."""
