"""The web layer: JSON API and server-rendered pages over the engine (Flask lives only here and in api.py)."""
