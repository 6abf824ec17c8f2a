"""Issue 14: a command run without DJANGO_DEBUG=1 (or a secret key) says in one line what to
set, and exits non-zero, instead of a 40-line ImproperlyConfigured traceback."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("args", [["check"], ["seed_demo"], []])
def test_missing_settings_are_one_line_naming_what_to_set(args):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_DEBUG", "DJANGO_SECRET_KEY")}
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        "manage.py: Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 for development)."
    ]
