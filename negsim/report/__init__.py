"""Rendering results for people (terminal text, plain-language sentences) and programs (JSON)."""
