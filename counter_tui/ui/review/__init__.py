"""The shift lead's review screen: one pane per area, each in its own file."""
