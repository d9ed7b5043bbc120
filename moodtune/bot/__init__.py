"""The edge of moodtune: one package per platform connector (telegram/, local/, …), each
translating its platform's events into the core's neutral calls and rendering the
Replies; `runner.py` runs every configured one in one process (`moodtune run`); `app.py`
opens what they share (database, catalog, engines); `cli.py` is the `moodtune` command."""
