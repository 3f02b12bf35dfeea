"""Textual screens for staff (app.py) and the customer kiosk (kiosk/)."""
