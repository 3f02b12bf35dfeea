"""One file per staff screen; dialogs live in `counter_tui.ui.dialogs`."""
