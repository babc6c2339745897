"""Open text in the user's editor ($VISUAL, else $EDITOR), as git does, and return it saved."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

from bptrack.errors import InvalidValue


class EditorFailed(InvalidValue):
    """The editor could not be started, or exited with an error: nothing is imported."""


def edit(text: str, *, suffix: str = ".toml") -> str:
    """The text after the user saved it. A private temporary file, removed afterwards."""
    command = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not command:
        if not sys.stdin.isatty():
            raise EditorFailed("no editor: set $VISUAL or $EDITOR (review needs one)")
        command = "vi"
    fd, name = tempfile.mkstemp(prefix="bptrack-review-", suffix=suffix)
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        try:
            done = subprocess.run([*shlex.split(command), str(path)], check=False)
        except (OSError, ValueError) as exc:
            raise EditorFailed(f"cannot start the editor {command!r}: {exc}; nothing was "
                               "imported") from exc
        if done.returncode != 0:
            raise EditorFailed(f"the editor exited with status {done.returncode}: nothing was "
                               "imported")
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise EditorFailed(f"cannot read the reviewed file back: {exc}; nothing was "
                               "imported") from exc
    finally:
        path.unlink(missing_ok=True)
