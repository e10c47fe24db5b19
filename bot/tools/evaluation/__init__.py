"""Measuring MesoGuide on text nobody on the project wrote: real questions and blind safety sets.

A build tool: runtime code never imports it.
"""
