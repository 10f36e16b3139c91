"""Writing output so that an interrupted or failing run leaves nothing half-written.

Every output goes first into a temporary file or folder *beside* its target (same file system, so
``os.replace`` is atomic), and reaches its place only when complete:

* :func:`write_file_atomically` -- one file (``check --junit``, a JSON file);
* :func:`replace_entries` -- several entries of a folder (``report --out``): each old entry is
  moved aside, the new one moved in, and on any failure every entry is put back as it was; the
  old entries are deleted only after every new one is in place.

While entries are swapped, SIGINT and SIGTERM are *deferred* (:func:`deferred_signals`): the signal
is recorded and raised once the swap is complete, so a signal never leaves a mix of old and new.
Outside a swap, :func:`signals_raise` turns SIGTERM into :class:`Interrupted` (SIGINT already
raises ``KeyboardInterrupt``), so ``finally`` blocks remove the temporary folders; the command
line maps them to exit codes 130 and 143.

An ``OSError`` while writing (a full disk, a read-only or vanished location) becomes an
:class:`OutputError` naming the target and the reason, with the temporary files removed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

__all__ = [
    "Interrupted",
    "OutputError",
    "deferred_signals",
    "make_parents",
    "probe_writable",
    "replace_entries",
    "signals_raise",
    "staging_dir",
    "write_file_atomically",
]


class OutputError(ValueError):
    """An output cannot be written: the target and the reason, on one line."""

    def __init__(self, target: str | Path, reason: str):
        self.target, self.reason = str(target), reason
        super().__init__(f"{target}: {reason}")

    @classmethod
    def of(cls, target: str | Path, exc: OSError) -> OutputError:
        """The one-line error for an ``OSError`` met while writing ``target``."""
        why = {
            errno.ENOSPC: "no space left on the device",
            errno.EDQUOT: "disk quota exceeded",
            errno.EROFS: "the location is read-only",
            errno.EACCES: "permission denied",
            errno.EPERM: "permission denied",
        }.get(exc.errno or 0, exc.strerror or type(exc).__name__)
        return cls(target, f"cannot be written ({why}); nothing was changed")


class Interrupted(BaseException):
    """SIGTERM (or another signal) arrived: unwinds like ``KeyboardInterrupt``, exit 128 + signum."""

    def __init__(self, signum: int):
        self.signum = signum
        self.exit_code = 128 + signum
        super().__init__(f"interrupted by signal {signum}")


_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_state = threading.local()


def _exception(signum: int) -> BaseException:
    return KeyboardInterrupt() if signum == signal.SIGINT else Interrupted(signum)


def _handler(signum: int, frame) -> None:  # noqa: ARG001 -- the signal module's signature
    if getattr(_state, "deferring", 0):
        _state.pending = signum
        return
    raise _exception(signum)


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def signals_raise() -> Iterator[None]:
    """Within the block, SIGINT raises ``KeyboardInterrupt`` and SIGTERM :class:`Interrupted`
    (deferred inside :func:`deferred_signals`); the previous handlers are restored after it.
    A no-op outside the main thread."""
    if not _main_thread():
        yield
        return
    previous = {s: signal.getsignal(s) for s in _SIGNALS}
    for s in _SIGNALS:
        signal.signal(s, _handler)
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


@contextlib.contextmanager
def deferred_signals() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM are recorded, not acted on; the last one is raised
    (as ``KeyboardInterrupt`` or :class:`Interrupted`) when the block ends."""
    if not _main_thread():
        yield
        return
    with signals_raise() if signal.getsignal(signal.SIGTERM) is not _handler else contextlib.nullcontext():
        _state.deferring = getattr(_state, "deferring", 0) + 1
        try:
            yield
        finally:
            _state.deferring -= 1
            pending = getattr(_state, "pending", None)
            if not _state.deferring and pending is not None:
                _state.pending = None
                raise _exception(pending)


def probe_writable(target: str | Path) -> None:
    """Fail fast, before any long analysis: create and remove a temporary folder in the nearest
    existing folder above ``target`` (a read-only or full location raises here, not minutes later).

    Raises
    ------
    OutputError
        When nothing can be created there.
    """
    p = Path(target).absolute()
    if not p.is_dir():
        p = p.parent
    while not p.exists() and p.parent != p:
        p = p.parent
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".otr-probe-", dir=p))
    except OSError as exc:
        raise OutputError.of(target, exc) from None


def make_parents(folder: Path) -> Path | None:
    """Create ``folder`` and its missing parents; return the topmost folder created (to remove
    on failure), or None when it existed."""
    folder = Path(folder)
    top = None
    p = folder.absolute()
    while not p.exists():
        top = p
        if p.parent == p:
            break
        p = p.parent
    folder.mkdir(parents=True, exist_ok=True)
    return top


def _write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to a new file ``path`` and flush it to disk (tests replace this to
    simulate a full disk)."""
    with open(path, "xb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


@contextlib.contextmanager
def staging_dir(target: Path, *, prefix: str = ".otr-tmp-", inside: bool = False) -> Iterator[Path]:
    """A temporary folder beside ``target`` (``PREFIX-XXXX``; inside it when ``inside`` and it is
    an existing folder: same file system, no need to write in its parent), removed when the
    block ends, however it ends. Missing parents are created, and removed again on failure."""
    target = Path(target)
    where = target.absolute() if inside and target.is_dir() else target.absolute().parent
    created = None
    try:
        created = make_parents(where)
        tmp = Path(tempfile.mkdtemp(prefix=prefix, dir=where))
    except OSError as exc:
        if created is not None:
            shutil.rmtree(created, ignore_errors=True)
        raise OutputError.of(target, exc) from None
    ok = False
    try:
        yield tmp
        ok = True
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if not ok and created is not None:
            shutil.rmtree(created, ignore_errors=True)


def write_file_atomically(path: str | Path, data: str | bytes) -> None:
    """Write ``data`` to ``path``: all of it or, on any failure or signal, nothing (the old file
    stays as it was).

    Raises
    ------
    OutputError
        When the file cannot be written (full disk, read-only location, ...).
    """
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with staging_dir(path) as tmp:
        try:
            _write_file(tmp / path.name, raw)
            with deferred_signals():
                os.replace(tmp / path.name, path)
        except OSError as exc:
            raise OutputError.of(path, exc) from None


def write_files(root: Path, files: Mapping[str, bytes]) -> None:
    """Write ``files`` (relative path -> bytes) under ``root``, creating sub-folders."""
    for rel, data in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        _write_file(p, data)


def replace_entries(staged: Path, target: Path, names: Sequence[str]) -> None:
    """Move the entries ``names`` of folder ``staged`` into folder ``target``, replacing entries
    of the same name, all or nothing; signals are deferred until it is done.

    Old entries are moved into ``staged/.old`` (deleted with ``staged``); on failure every new
    entry is moved back out and every old one restored.

    Raises
    ------
    OutputError
        When an entry cannot be moved (the target is left as it was).
    """
    backup = staged / ".old"
    with deferred_signals():
        created = None
        moved_old: list[str] = []
        placed: list[str] = []
        try:
            created = make_parents(target)
            backup.mkdir()
            for name in names:
                dst = target / name
                if dst.exists() or dst.is_symlink():
                    os.replace(dst, backup / name)
                    moved_old.append(name)
                os.replace(staged / name, dst)
                placed.append(name)
        except OSError as exc:
            for name in reversed(placed):
                with contextlib.suppress(OSError):
                    os.replace(target / name, staged / name)
            for name in reversed(moved_old):
                with contextlib.suppress(OSError):
                    os.replace(backup / name, target / name)
            if created is not None:
                shutil.rmtree(created, ignore_errors=True)
            raise OutputError.of(target, exc) from None
