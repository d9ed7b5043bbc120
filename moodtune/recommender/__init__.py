"""Tracks for a mood: the nearest-neighbour index over the catalog (`index.py`), re-ranking
with each person's thumbs and everyone's (`ranking.py`, `taste.py`, `prior.py`), the modes
(`modes.py`), and the people the bot is talking to, kept in memory (`people.py`, the one
owner of a person's state)."""
