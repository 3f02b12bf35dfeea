"""`--help` (or `-h`) anywhere on the command line asks for help and runs nothing.

Click takes the word after an option that needs a value as that value, so
`counter-tui demo --build-only --help` built a demo shop into a file named "--help".
Here such a command line becomes the command's own help request: the command words
(and the top-level `--db`/`--config` with their values) are kept, the rest dropped.
"""

from __future__ import annotations

HELP_FLAGS = ("--help", "-h")
TOP_LEVEL_VALUE_OPTIONS = ("--db", "--config")


def help_first(args: list[str]) -> list[str]:
    """`args` unchanged, or, when a help flag is among them (before any `--`), the
    command words that lead to it followed by `--help`."""
    given = args[: args.index("--")] if "--" in args else args
    if not any(flag in given for flag in HELP_FLAGS):
        return args
    kept: list[str] = []
    words = iter(given)
    for word in words:
        if word in TOP_LEVEL_VALUE_OPTIONS and not kept:
            kept += [word, next(words, "")]
        elif word.startswith("-"):
            break
        else:
            kept.append(word)
    return [*kept, "--help"]
