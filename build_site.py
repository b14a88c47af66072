#!/usr/bin/env python3
"""Build the UPR submission knowledge base: ``python build_site.py [COMMAND]``.

With no command it validates ``data/``, generates the pages and builds the
site into ``site/``. On a fresh machine it first makes a virtual environment
in ``.venv/`` and installs the pinned dependencies (``requirements.lock``);
later runs reuse it. ``python build_site.py --help`` lists the commands.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def _stamp(dev: bool) -> str:
    files = ["requirements.lock", "pyproject.toml"] + (["requirements-dev.lock"] if dev else [])
    digest = hashlib.sha256()
    for name in files:
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def ensure_environment(dev: bool = False) -> Path:
    """Create ``.venv`` and install the pinned dependencies when they are missing or changed."""
    if sys.version_info < (3, 11):  # noqa: UP036 - this file must run, and explain, on older Pythons
        sys.exit("Python 3.11 or newer is required.")
    marker = VENV / (".installed-dev" if dev else ".installed")
    wanted = _stamp(dev)
    if marker.exists() and marker.read_text() == wanted and PYTHON.exists():
        return PYTHON
    if not PYTHON.exists():
        print("Creating the virtual environment in .venv/ ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    lock = "requirements-dev.lock" if dev else "requirements.lock"
    print(f"Installing the pinned dependencies ({lock}) ...", file=sys.stderr)
    pip = [str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "-r", str(ROOT / lock)], check=True)
    marker.write_text(wanted)
    return PYTHON


def _in_project_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def main() -> None:
    if not _in_project_venv() and not os.environ.get("UPRKB_NO_BOOTSTRAP"):
        python = ensure_environment()
        os.execv(str(python), [str(python), str(Path(__file__).resolve()), *sys.argv[1:]])
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("UPRKB_ROOT", str(ROOT))
    from uprkb.cli import main as cli

    cli(prog_name="build_site.py")


if __name__ == "__main__":
    main()
