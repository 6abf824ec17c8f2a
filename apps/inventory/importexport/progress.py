"""Progress for long commands: a rich bar on a terminal, plain lines otherwise (cron, CI,
a pipe), always on standard error so standard output stays the command's data."""

import sys
import time


class Progress:
    def __init__(self, stream=None, *, every: int = 10_000, seconds: float = 5.0):
        # A Django OutputWrapper adds line endings; rich wants the raw stream.
        self.stream = getattr(stream, "_out", stream) or sys.stderr
        self.every, self.seconds = every, seconds
        self.terminal = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._bar = None
        self._task = None
        self._label = ""
        self._last = 0.0

    def __enter__(self):
        if self.terminal:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                TextColumn,
                TimeElapsedColumn,
            )
            from rich.progress import Progress as RichProgress

            self._bar = RichProgress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(file=self.stream),
                transient=False,
            )
            self._bar.__enter__()
        return self

    def __exit__(self, *exc):
        if self._bar is not None:
            self._bar.__exit__(*exc)

    def phase(self, label: str, total: int | None = None) -> None:
        self._label = label
        if self._bar is not None:
            if self._task is not None:
                self._bar.update(self._task, visible=True)
            self._task = self._bar.add_task(label, total=total)
        else:
            self._line(f"{label}…")

    def advance(self, done: int) -> None:
        if self._bar is not None:
            self._bar.update(self._task, completed=done)
            return
        now = time.monotonic()
        if done % self.every == 0 or now - self._last >= self.seconds:
            self._line(f"{self._label}: {done} rows")

    def done(self, done: int | None = None) -> None:
        if self._bar is not None and self._task is not None:
            task = self._bar.tasks[-1]
            self._bar.update(
                self._task, completed=done or task.completed, total=done or task.total or 1
            )
        elif done is not None:
            self._line(f"{self._label}: {done} rows, done")

    def _line(self, text: str) -> None:
        self._last = time.monotonic()
        self.stream.write(text + "\n")
        self.stream.flush()
