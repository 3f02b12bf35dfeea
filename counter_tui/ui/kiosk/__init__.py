"""The customer-facing self check-in kiosk (`counter-tui kiosk`).

Nothing here imports Textual at package import time: `launch.run_kiosk` must scrub
the `TEXTUAL*` environment variables before Textual reads them.
"""
