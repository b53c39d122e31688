"""`make run` says what it is doing before each slow step, and ends with the address it
serves on, which HOST and PORT set (as the README says)."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_announces_each_step_before_it_runs():
    # -n: print the commands, run none; -B: as on a fresh machine, every step due.
    printed = subprocess.run(
        ["make", "-n", "-B", "run", "HOST=0.0.0.0", "PORT=8123"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()

    def first(fragment: str) -> int:
        return next(i for i, line in enumerate(printed) if fragment in line)

    assert first('echo "Installing dependencies') < first("pip install")
    assert first('echo "Migrating the database') < first("manage.py migrate")
    assert first('echo "Loading the exercise library') < first("manage.py load_library")
    assert first('echo "Serving RunStrong on http://0.0.0.0:8123/') < first("bin/serve")
    assert printed[first("bin/serve")].endswith("bin/serve 0.0.0.0:8123")


def test_the_readme_names_host_and_port():
    readme = (ROOT / "README.md").read_text()
    assert readme.startswith("# RunStrong\n\n```sh\nmake run ")
    assert "`PORT=8080 make run`" in readme
    assert "`HOST`" in readme
