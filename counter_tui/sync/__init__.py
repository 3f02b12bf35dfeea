"""Change feeds: tell every terminal, within a second, that the shop's data changed."""
