"""The Discord connector, on discord.py 2.x: gateway events in, neutral calls to the
conversation core (moodtune.handlers), Replies rendered as embeds and components out.

discord.py is imported nowhere else in moodtune.
"""
