"""The web chat connector: one small page (HTML, CSS and plain JavaScript, shipped as
package data) and a WebSocket on aiohttp. It translates and renders only; the
conversation is moodtune.handlers'.

    moodtune run    # with no platform token: http://127.0.0.1:8080/
"""

from moodtune.bot.web.connector import WebConnector

__all__ = ["WebConnector"]
