"""The web chat connector: one small page (HTML, CSS and plain JavaScript, shipped as
package data) and a WebSocket on aiohttp. It translates and renders only; the
conversation is moodtune.handlers'.

    moodtune run    # with no platform token: http://127.0.0.1:8080/
"""

from moodtune.bot.web.run import RunningWebChat, run_web, start_web_chat, web_chat_beside

__all__ = ["RunningWebChat", "run_web", "start_web_chat", "web_chat_beside"]
