"""Reading inputs safely and writing outputs atomically.

Every file policygraph writes (graph, JSON, GraphML, CSV, HTML, SVG, PNG) goes through
`atomic_write_bytes` (or `atomic_path` for writers that want a file object): the bytes land
in an unnamed temporary file beside the target, are flushed to disk, then named and renamed
over it, so a crash, a full disk or SIGKILL leaves either the old file or the new one, never a
half-written one and no temporary file. A symlinked target is followed (the link stays a link
and its target is replaced) and an existing file keeps its permission bits.
"""
from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
from pathlib import Path

from policygraph.errors import InputError, OutputError

DEFAULT_MAX_INPUT_BYTES = 200 * 1024 * 1024  # one input file; --max-size raises it
# Short, so that a target whose name is near the file system's limit still gets a temporary twin.
TEMP_PREFIX = ".policygraph-"


def parse_size(text: str) -> int:
    """'300', '300M', '2G', '512K' → bytes (a bare number means megabytes)."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMG]?)B?\s*", str(text), re.IGNORECASE)
    if not m or float(m.group(1)) <= 0:
        raise InputError(f"--max-size {text} is not a size: give megabytes, e.g. --max-size 500 or --max-size 2G.")
    unit = {"K": 2**10, "": 2**20, "M": 2**20, "G": 2**30}[m.group(2).upper()]
    return int(float(m.group(1)) * unit)


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
            f"{p} is {_size(st.st_size)}, over the {_size(max_bytes)} limit for one input: "
            "split it, or raise the limit with --max-size."
        )
    try:
        with open(p, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"{p} cannot be read ({exc.strerror}): check its permissions.") from None
    if len(data) > max_bytes:  # grew while we read it
        raise InputError(f"{p} is over the {_size(max_bytes)} limit for one input: raise it with --max-size.")
    return data


def _size(n: int) -> str:
    return f"{n / 2**20:.0f} MB" if n >= 2**20 else f"{max(n // 1024, 1)} KB" if n >= 1024 else f"{n} bytes"


def describe_os_error(exc: OSError) -> str:
    """What an OSError means, in words (for one-sentence messages)."""
    reasons = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is exceeded",
        errno.EROFS: "the file system is read-only",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EISDIR: "it is a folder",
        errno.ENOTDIR: "a part of the path is a file, not a folder",
        errno.ENAMETOOLONG: "the name is too long",
        errno.EFBIG: "the file would exceed the largest file size allowed here",
        errno.EIO: "the disk reported an input/output error",
    }
    return reasons.get(exc.errno, exc.strerror or str(exc))


def atomic_write_bytes(path: str | Path, payload: bytes) -> Path:
    """Replace `path` with `payload` atomically; raises OutputError with one plain sentence."""
    with atomic_path(path) as fh:
        fh.write(payload)
    return Path(path)


@contextlib.contextmanager
def atomic_path(path: str | Path):
    """Yield a binary file object whose bytes replace `path` when the block ends without error.

    The bytes go to an unnamed file in the target's folder (O_TMPFILE), so a SIGKILL or a
    crash mid-write leaves no temporary file behind; only once they are all on disk does the
    file get a name and replace the target in one rename. Where the file system has no
    O_TMPFILE a hidden named temporary file is used and removed on any error."""
    target, tmp = Path(path), None
    try:
        target = _resolved_target(path)
        mode = _kept_mode(target)
        _make_folder(target.parent)
        fd, tmp = _open_temporary(target)
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fchmod(fh.fileno(), mode)
            os.fsync(fh.fileno())
            if tmp is None:  # unnamed: give it a name only now, then rename over the target
                tmp = _name_unnamed(fh.fileno(), target, mode)
        os.replace(tmp, target)
        tmp = None
        _sync_folder(target.parent)
    except OSError as exc:
        raise OutputError(f"Cannot write {path}: {describe_os_error(exc)}; nothing was changed.") from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file sits where a folder of the path should be
        raise OSError(errno.ENOTDIR, "Not a directory") from None


def _resolved_target(path: str | Path) -> Path:
    """The file to replace: a symlink's target (the link stays a link), never a folder,
    pipe or device (renaming over those would destroy them or hide a mistake)."""
    target = Path(path)
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    try:
        st = target.stat()
    except OSError:
        return target
    if stat.S_ISDIR(st.st_mode):
        raise OutputError(f"Cannot write {path}: it is a folder; give a file name.")
    if not stat.S_ISREG(st.st_mode):
        raise OutputError(f"Cannot write {path}: it is not a regular file (a pipe, device or socket); give a file name.")
    return target


def _kept_mode(target: Path) -> int:
    """An existing file keeps its permission bits; a new one gets the usual 0666 & ~umask."""
    with contextlib.suppress(OSError):
        return stat.S_IMODE(target.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _open_temporary(target: Path) -> tuple[int, str | None]:
    """(fd, None) for an unnamed O_TMPFILE file, else (fd, name) of a hidden temporary file."""
    flag = getattr(os, "O_TMPFILE", 0)
    if flag:
        try:
            return os.open(target.parent, flag | os.O_WRONLY, 0o600), None
        except OSError as exc:
            if exc.errno not in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):
                raise
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=TEMP_PREFIX, suffix=".tmp")
    return fd, name


def _name_unnamed(fd: int, target: Path, mode: int) -> str:
    try:
        return _link_unnamed(fd, target)
    except OSError as exc:
        if exc.errno not in (errno.ENOENT, errno.EXDEV, errno.EPERM, errno.EACCES, errno.EOPNOTSUPP):
            raise
    # No /proc (or a file system refusing the link): copy into a named temporary file.
    copy_fd, name = tempfile.mkstemp(dir=target.parent, prefix=TEMP_PREFIX, suffix=".tmp")
    try:
        size = os.fstat(fd).st_size
        offset = 0
        while offset < size:
            offset += os.sendfile(copy_fd, fd, offset, size - offset)
        os.fchmod(copy_fd, mode)
        os.fsync(copy_fd)
    except BaseException:
        os.close(copy_fd)
        os.unlink(name)
        raise
    os.close(copy_fd)
    return name


def _link_unnamed(fd: int, target: Path) -> str:
    """Give the unnamed file a hidden name beside the target (linkat through /proc/self/fd)."""
    folder = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for _ in range(100):
            name = f"{TEMP_PREFIX}{os.urandom(4).hex()}.tmp"
            try:
                # dst_dir_fd makes CPython call linkat(AT_SYMLINK_FOLLOW) rather than link(),
                # which would try to hard-link the /proc symlink itself.
                os.link(f"/proc/self/fd/{fd}", name, dst_dir_fd=folder, follow_symlinks=True)
                return str(target.parent / name)
            except FileExistsError:
                continue
    finally:
        os.close(folder)
    raise OSError(errno.EEXIST, "no free temporary name")


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (a crash right after must not bring the old file back)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write_text(path: str | Path, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))
