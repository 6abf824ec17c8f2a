"""What every operator command shares: a `--help` laid out as written, one-line errors for
bad arguments, and a quiet stop when the reader of standard output goes away."""

import argparse
import os
import sys

from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter


class HelpFormatter(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Django's option order, with the description's lines, lists and examples kept."""


def at_least_zero(kind):
    """An argparse type: a number of `kind` that is 0 or more, with a message that says so."""

    def parse(text):
        try:
            value = kind(text)
        except ValueError:
            value = None
        if value is None or value < 0 or value != value:
            noun = "a whole number" if kind is int else "a number"
            raise argparse.ArgumentTypeError(f"{text!r} is not {noun} of at least 0")
        return value

    parse.__name__ = kind.__name__
    return parse


class OperatorCommand(BaseCommand):
    def create_parser(self, prog_name, subcommand, **kwargs):
        kwargs.setdefault("formatter_class", HelpFormatter)
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def error(message):
            # argparse prints the whole usage block before the error; an operator (or a
            # script's log) wants the one line that says what is wrong.
            if not parser.called_from_command_line:
                raise CommandError(f"Error: {message}")
            parser.exit(2, f"{parser.prog}: error: {message} (see {parser.prog} --help)\n")

        parser.error = error
        return parser

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except BrokenPipeError:
            # The reader went away (`... | head`): stop quietly, as Unix tools do, and keep
            # Python from complaining again when it flushes stdout at exit.
            out = getattr(self.stdout, "_out", None)
            if out is sys.stdout and _is_real_stdout():
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
            raise SystemExit(1) from None


def _is_real_stdout() -> bool:
    try:
        return sys.stdout.fileno() == 1
    except (AttributeError, OSError, ValueError):
        return False
