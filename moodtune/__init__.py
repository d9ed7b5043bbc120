"""moodtune: answers a feeling (words, a photo, a voice note) with music.

Where things are, top to bottom (modules import downward only):

- `bot/`: the connectors (Telegram, the terminal, …), the `moodtune` command, `moodtune
  run` and the wiring of one running App;
- `handlers/`: the conversation core, platform-neutral: a message or a button press in,
  a Reply out;
- `recommender/` and `emotion_engines/`: tracks for a mood; the mood of words, photos and
  voice notes;
- `catalog/`, `storage/`, `emotion.py`: the tracks, the database, the emotion space.

docs/architecture.md is the map.
"""

__version__ = "0.1.0"
