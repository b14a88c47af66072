#!/usr/bin/env python3
"""Run the whole test suite: ``python3 run_tests.py [PYTEST ARGS]``.

On a fresh machine it first installs what the suite needs: the pinned Python
packages into ``.venv/`` (``requirements-dev.lock``), Debian's ``chromium``
and ``chromium-driver``, ``libreoffice-writer`` and ``poppler-utils`` (when run
as root with apt-get available), and
axe-core from the npm registry into ``.cache/npm/``. Then it runs pytest.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from build_site import ROOT, ensure_environment

AXE_VERSION = "4.14.1"
AXE = ROOT / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"


def ensure_chromium() -> None:
    if shutil.which("chromium") or Path("/usr/bin/chromium").exists():
        return
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        print("Installing Debian's chromium and chromium-driver ...", file=sys.stderr)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "chromium", "chromium-driver"],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
    else:
        print(
            "chromium is missing: install Debian's 'chromium' and 'chromium-driver' packages "
            "(the browser tests fail without them).",
            file=sys.stderr,
        )


def ensure_office() -> None:
    """LibreOffice Writer (the PDF export), poppler-utils (pdftoppm, to look at the pages) and the fonts."""
    wanted = {"soffice": "libreoffice-writer", "pdftoppm": "poppler-utils"}
    missing = [pkg for tool, pkg in wanted.items() if not shutil.which(tool)]
    if not missing:
        return
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        print(f"Installing Debian's {', '.join(missing)} ...", file=sys.stderr)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing, "fonts-liberation"],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
    else:
        print(
            f"missing: install Debian's {' and '.join(missing)} (the PDF export tests fail without them).",
            file=sys.stderr,
        )


def ensure_axe() -> None:
    if AXE.exists():
        return
    npm = shutil.which("npm")
    if not npm:
        print("npm is missing: the accessibility test needs axe-core from the npm registry.", file=sys.stderr)
        return
    print(f"Installing axe-core {AXE_VERSION} from the npm registry ...", file=sys.stderr)
    subprocess.run(
        [
            npm,
            "install",
            "--prefix",
            str(AXE.parents[2]),
            "--no-save",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            f"axe-core@{AXE_VERSION}",
        ],
        check=True,
    )


def main() -> int:
    python = ensure_environment(dev=True)
    ensure_chromium()
    ensure_office()
    ensure_axe()
    proc = subprocess.run([str(python), "-m", "pytest", *sys.argv[1:]], cwd=ROOT)
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
