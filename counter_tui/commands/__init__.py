"""Command groups of the `counter-tui` command line, one module each, listed in cli/lazy_group.py."""
