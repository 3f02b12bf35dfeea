"""Command groups of the `counter-tui` command line, one module each, registered in cli.py."""
