"""The operator's side of every command: readable --help, one line for a bad argument, a
quiet stop when the reader of standard output goes away."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command, load_command_class
from django.core.management.base import CommandError

from tests import factories

from .helpers import row, run, write_csv

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = ("import_inventory", "export_inventory", "low_stock_report", "deliver_alerts")


def manage(*args):
    """manage.py as an operator types it. Argument errors come before any database use."""
    env = {**os.environ, "DJANGO_DEBUG": "1", "DATABASE_URL": "sqlite:////nonexistent/x.db"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("name", COMMANDS)
def test_help_keeps_its_lines_and_shows_examples(name):
    command = load_command_class("apps.inventory", name)
    text = command.create_parser("manage.py", name).format_help()

    assert "\nExamples:\n  manage.py " in text
    assert f"  manage.py {name} " in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["export_inventory"],
            "manage.py export_inventory: error: the following arguments are required: "
            "--company (see manage.py export_inventory --help)",
        ),
        (
            ["import_inventory", "x.csv", "--company", "A", "--format", "xml"],
            "manage.py import_inventory: error: argument --format: invalid choice: 'xml' "
            "(choose from 'csv', 'json') (see manage.py import_inventory --help)",
        ),
        (
            ["deliver_alerts", "--once", "--interval", "-1"],
            "manage.py deliver_alerts: error: argument --interval: '-1' is not a number of at "
            "least 0 (see manage.py deliver_alerts --help)",
        ),
        (
            ["low_stock_report", "--company", "A", "--format", "pdf"],
            "manage.py low_stock_report: error: argument --format: invalid choice: 'pdf' "
            "(choose from 'table', 'csv', 'json') (see manage.py low_stock_report --help)",
        ),
    ],
)
def test_a_bad_argument_is_one_line_and_exit_status_2(args, message):
    done = manage(*args)

    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0] == message


class ClosedPipe:
    """Standard output whose reader has gone (`manage.py ... | head -0`)."""

    def write(self, text):
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self):
        pass


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("export_inventory", {}),
        ("export_inventory", {"format": "json"}),
        ("low_stock_report", {"format": "csv"}),
        ("low_stock_report", {"format": "json"}),
    ],
)
def test_a_closed_pipe_stops_quietly(company, name, options):
    for n in range(3):
        factories.record(company, sku=f"SKU-{n}", on_hand=1, reorder_level=5)
    err = StringWriter()

    with pytest.raises(SystemExit) as stopped:
        call_command(name, company=company.name, stdout=ClosedPipe(), stderr=err, **options)

    assert stopped.value.code == 1
    assert err.text == ""


class StringWriter:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


def test_a_directory_is_not_a_file(company, tmp_path):
    write_csv(tmp_path / "stock.csv", [row("A", "main", 1)])
    with pytest.raises(CommandError, match=f"Not a file: {tmp_path}$"):
        run("import_inventory", str(tmp_path), company=company.name)
