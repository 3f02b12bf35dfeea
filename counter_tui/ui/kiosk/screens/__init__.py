"""One file per kiosk screen: welcome, first name, choice, thank-you, staff unlock and menu."""
