"""The conversation core, the same on every platform. Connectors call
`dispatch.Handlers.on_message` and `on_press` with the neutral types of `incoming.py`, and
render the `replies.py` types that come back; messages the bot starts go out through
`messenger.py` to each connector's `outbound.Outbound`."""
