"""Every attack of the catalogue against the real command line: a located error in plain words,
exit status 1, no traceback, and nothing written to the data folder."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.badinput import PROBE, Case, plant
from tests.project import PROJECT
from uprkb.cli import main

from .catalogue import ATTACKS, Attack

EXTRA = {
    "import upr-info": ["--all"],
    "import docx": ["--submission", "hostile-kaz-upr4"],
}


def digest(root: Path) -> str:
    """Names, kinds and bytes of everything under ``root`` (symlinks by their target, never followed)."""
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        if path.is_symlink():
            h.update(b"link:" + str(path.readlink()).encode())
        elif path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()


def prepare(attack: Attack, data: Path, tmp: Path) -> tuple[list[str], Path]:
    made = attack.payload(tmp)
    if attack.place == "validate":
        if isinstance(made, Path):
            plant(data, Case("probe", "", BASE_TEXT))
            target = data / PROBE
            target.unlink()
            made.rename(target) if made.is_symlink() or not made.exists() else made.replace(target)
        else:
            target = plant(data, Case(attack.name, "", made))
        return ["validate", "--data", str(data)], target
    if isinstance(made, Path):
        source = made
    else:
        source = tmp / f"input{attack.suffix}"
        source.write_bytes(made if isinstance(made, bytes) else made.encode("utf-8"))
    fmt = attack.place.split()[1]
    date = [] if fmt == "docx" else ["--date", "2026-01-05"]
    args = ["import", fmt, str(source), "--data", str(data), *date, *EXTRA.get(attack.place, [])]
    return args, source


from tests.badinput import BASE as BASE_TEXT  # noqa: E402


def run_cli(args: list[str], process: bool) -> tuple[int, str]:
    if not process:
        result = CliRunner().invoke(main, args)
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        return result.exit_code, result.output
    try:
        proc = subprocess.run(
            [sys.executable, str(PROJECT / "build_site.py"), *args],
            capture_output=True,
            text=True,
            env={"UPRKB_NO_BOOTSTRAP": "1", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT / "src")},
            timeout=60,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("the command hung (no answer within 60 s)")
    return proc.returncode, proc.stdout + proc.stderr


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.name for a in ATTACKS])
def test_attack_ends_in_a_located_error(attack: Attack, data: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    args, target = prepare(attack, data, work)
    before = digest(data)
    code, out = run_cli(args, attack.process)
    assert code == 1, out
    assert "Traceback" not in out, out
    assert attack.expect in out, out
    assert target.name in out, f"the message does not name the file:\n{out}"
    assert "hint:" in out, out
    assert digest(data) == before, "the data folder changed"


def test_every_expected_code_is_documented() -> None:
    from uprkb.core.errors import CODES

    codes = {a.expect[1:-1] for a in ATTACKS if a.expect.startswith("[")}
    assert codes <= set(CODES), codes - set(CODES)
