"""Modal dialogs: each asks for one thing and returns it to the screen that opened it."""
