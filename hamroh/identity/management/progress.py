"""A small progress bar for the identity commands (stderr, no extra dependency)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _


class ProgressBar:
    """``[########............]  42%  420,000 / 1,000,000 people  0:12``, redrawn in place.

    Redraws at most a few times a second. Commands enable it when stderr is a terminal
    (or ``--progress`` is given), so logs of scheduled runs stay clean.
    """

    width = 30

    def __init__(self, write: Callable[[str], object], label: str, *, enabled: bool) -> None:
        self.write = write
        self.label = label
        self.enabled = enabled
        self.started = time.monotonic()
        self._last_draw = 0.0
        self._drawn = False

    def update(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done < total and now - self._last_draw < 0.2:
            return
        self._last_draw = now
        share = done / total if total else 1.0
        filled = int(self.width * share)
        elapsed = int(now - self.started)
        self.write(
            f"\r[{'#' * filled}{'.' * (self.width - filled)}] {share:4.0%}  "
            f"{done:,} / {total:,} {self.label}  {elapsed // 60}:{elapsed % 60:02d}"
        )
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            self.write("\n")


def add_run_arguments(parser: CommandParser) -> None:
    """``--workers`` and ``--progress``, shared by the identity commands."""
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help=_("worker processes for scoring (default: up to 2)"),
    )
    parser.add_argument(
        "--progress",
        action="store_true",
        help=_("draw the progress bar even when stderr is not a terminal"),
    )


def bar_for(command: BaseCommand, label: str, options: dict[str, Any]) -> ProgressBar:
    """The command's progress bar on stderr, drawn for a terminal or with ``--progress``."""
    return ProgressBar(
        lambda text: command.stderr.write(text, ending=""),
        label,
        enabled=options["verbosity"] > 0 and (options["progress"] or command.stderr.isatty()),
    )
