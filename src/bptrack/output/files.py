"""Every file bptrack writes for `--output`, backups, exports and the config: one writer.

What it does with each kind of path:
- a regular file or a new path: written whole or not at all (a temporary file beside it,
  renamed over it), keeping the old file's mode. A new file is private (0600), unless it is
  `shared` (reports, calendars, workbooks: made to be handed on), when it follows the umask;
  `private` files (the config, exports, backups) are 0600 even when they replace another;
- a symlink: the same, to the file it points at; the link stays;
- a character device, FIFO, socket or /dev/std*: written straight into, never renamed over;
- the open database and its -wal/-shm/-journal files: always refused;
- any other SQLite database: refused unless `force`.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Literal

from bptrack.errors import InvalidValue

SQLITE_HEADER = b"SQLite format 3\x00"
_DATABASE_COMPANIONS = ("", "-wal", "-shm", "-journal")
# Paths that name a stream the caller already holds; renaming over them would replace the link.
_STREAM_PREFIXES = ("/dev/std", "/dev/fd/", "/proc/self/fd/")


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _guard_database(real: Path, shown: str, database: Path | None) -> None:
    """Refuse the open database in any spelling: by resolved name and by device and inode."""
    if database is None:
        return
    target = _identity(real)
    for suffix in _DATABASE_COMPANIONS:
        companion = Path(f"{database}{suffix}")
        if real == Path(os.path.realpath(companion)) or (
                target is not None and target == _identity(companion)):
            raise InvalidValue(f"{shown} is the open database {database}{suffix}: writing "
                               "there would destroy it; choose another file")


def _guard_sqlite(real: Path, shown: str, force: bool) -> None:
    try:
        with open(real, "rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError:
        return
    if head == SQLITE_HEADER and not force:
        raise InvalidValue(f"{shown} is a SQLite database: writing there would destroy it; "
                           "choose another file, or give --force to replace it")


def _kind(path: Path) -> Literal["new", "file", "stream"]:
    if str(path).startswith(_STREAM_PREFIXES):
        return "stream"
    try:
        st = os.stat(path)  # follows links: a link to a device is a device
    except FileNotFoundError:
        return "new"
    except OSError as exc:
        raise InvalidValue(f"cannot write {path}: {exc.strerror}") from exc
    if stat.S_ISDIR(st.st_mode):
        raise InvalidValue(f"cannot write {path}: it is a directory")
    return "file" if stat.S_ISREG(st.st_mode) else "stream"


def _umask() -> int:
    mask = os.umask(0o077)  # reading the umask means setting it: put it straight back
    os.umask(mask)
    return mask


@contextmanager
def replacing_path(dest: str | Path, *, database: Path | None = None, force: bool = False,
                   private: bool = False, shared: bool = False) -> Iterator[Path]:
    """A private temporary path beside the file `dest` resolves to; it is renamed over that
    file (keeping the file's mode, unless `private`) only when the block finishes. For
    whole-file producers such as SQLite's backup API; streams are refused, since they cannot
    be renamed over."""
    shown = str(dest)
    path = Path(dest).expanduser()
    real = Path(os.path.realpath(path))
    _guard_database(real, shown, database)
    kind = _kind(path)
    if kind == "stream":
        raise InvalidValue(f"cannot write {shown}: it is not a regular file")
    mode = 0o666 & ~_umask() if shared and not private else None
    if kind == "file":
        _guard_sqlite(real, shown, force)
        mode = None if private else stat.S_IMODE(os.stat(real).st_mode)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".part",
                                        dir=real.parent)
        os.close(fd)
    except OSError as exc:
        raise InvalidValue(f"cannot write {shown}: {exc.strerror}") from exc
    tmp = Path(tmp_name)
    try:
        yield tmp
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, real)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InvalidValue(f"cannot write {shown}: {exc.strerror}") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextmanager
def writing(dest: str | Path, *, binary: bool = False, database: Path | None = None,
            force: bool = False, private: bool = False, shared: bool = False
            ) -> Iterator[IO[Any]]:
    """Open `dest` for one whole write, as the module's docstring says for each kind of path."""
    shown = str(dest)
    path = Path(dest).expanduser()
    _guard_database(Path(os.path.realpath(path)), shown, database)
    if _kind(path) == "stream":
        try:
            with (open(path, "wb") if binary
                  else open(path, "w", encoding="utf-8", newline="")) as fh:
                yield fh
        except OSError as exc:
            raise InvalidValue(f"cannot write {shown}: {exc.strerror}") from exc
        return
    with replacing_path(path, database=database, force=force, private=private,
                        shared=shared) as tmp:
        try:
            with (open(tmp, "wb") if binary
                  else open(tmp, "w", encoding="utf-8", newline="")) as fh:
                yield fh
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            raise InvalidValue(f"cannot write {shown}: {exc.strerror}") from exc


@contextmanager
def replacing(path: str | Path, *, database: Path | None = None, force: bool = False,
              private: bool = False, shared: bool = False) -> Iterator[IO[str]]:
    """A text file written whole or not at all (see `writing`)."""
    with writing(path, database=database, force=force, private=private,
                 shared=shared) as fh:
        yield fh
