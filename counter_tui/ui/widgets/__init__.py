"""Small widgets shared by staff screens."""
