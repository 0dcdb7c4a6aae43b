"""Reading inputs safely and writing outputs atomically.

Every file policygraph writes (graph, JSON, GraphML, CSV, HTML, SVG, PNG) goes through
`atomic_write_bytes`: the bytes land in a temporary file beside the target, are flushed to
disk, then renamed over it, so a crash, a full disk or SIGKILL leaves either the old file or
the new one, never a half-written one. A symlinked target is followed (the link stays a link
and its target is replaced) and an existing file keeps its permission bits.
"""
from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from policygraph.errors import InputError, OutputError

DEFAULT_MAX_INPUT_BYTES = 200 * 1024 * 1024  # one input file; --max-size raises it


def read_input_bytes(path: str | Path, max_bytes: int = DEFAULT_MAX_INPUT_BYTES) -> bytes:
    """The bytes of one regular file, refusing what would hang or exhaust memory."""
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise InputError(f"{p} does not exist: check the path.") from None
    except OSError as exc:
        raise InputError(f"{p} cannot be read ({exc.strerror}): check the path and its permissions.") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{p} is a folder: give the text files inside it.")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{p} is not a regular file (a pipe, device or socket): give a saved file.")
    if st.st_size > max_bytes:
        raise InputError(
            f"{p} is {st.st_size / 2**20:.0f} MB, over the {max_bytes / 2**20:.0f} MB limit for one input: "
            "split it, or raise the limit with --max-size."
        )
    try:
        with open(p, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"{p} cannot be read ({exc.strerror}): check its permissions.") from None
    if len(data) > max_bytes:  # grew while we read it
        raise InputError(f"{p} is over the {max_bytes / 2**20:.0f} MB limit for one input: raise it with --max-size.")
    return data


def _describe(exc: OSError, path: Path) -> str:
    reasons = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is exceeded",
        errno.EROFS: "the file system is read-only",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EISDIR: "it is a folder",
        errno.ENOTDIR: "a part of the path is a file, not a folder",
        errno.ENAMETOOLONG: "the name is too long",
    }
    return reasons.get(exc.errno, exc.strerror or str(exc))


def atomic_write_bytes(path: str | Path, payload: bytes) -> Path:
    """Replace `path` with `payload` atomically; raises OutputError with one plain sentence."""
    target = Path(path)
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    if target.is_dir():
        raise OutputError(f"Cannot write {path}: it is a folder; give a file name.")
    mode = None
    with contextlib.suppress(OSError):
        mode = stat.S_IMODE(target.stat().st_mode)
    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is None:  # a new file gets the usual mode (mkstemp makes 0600)
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise OutputError(f"Cannot write {path}: {_describe(exc, target)}; nothing was changed.") from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return Path(path)


def atomic_write_text(path: str | Path, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))
