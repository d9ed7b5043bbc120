"""The local connector: the conversation in a terminal, with no account and no network."""
