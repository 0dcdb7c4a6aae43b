"""Stage 1 — read: the files a researcher gives (files and folders, any supported format) to text lines.

- A folder stands for every file inside it, recursively, that policygraph reads (.txt, .md,
  .html/.htm, .pdf, .docx) or that is a document it must report as unreadable (.doc, .xls,
  images, archives …); hidden files, a collection's own README/LICENSE notes and the `*_files`
  folders a browser saves next to a page are left out. Order is deterministic (sorted paths).
- The same file given twice, or reached twice (a folder and a file inside it, a symlink), is
  read once (by its real path).
- A batch never dies of one bad file: unreadable files are skipped, each with a short reason
  (`Skipped`). A single file given on its own that cannot be read is an error, as before.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from policygraph.errors import InputError
from policygraph.extract.models import Skipped, SourceText
from policygraph.extract.readers import read_document
from policygraph.extract.readers.sniff import READABLE_SUFFIXES, REPORTED_SUFFIXES
from policygraph.extract.readers.text import LINE_BREAK
from policygraph.files import DEFAULT_MAX_INPUT_BYTES


def expand_inputs(paths: Iterable) -> list[Path]:
    """Files as given, folders expanded recursively; each real file once, in a stable order."""
    out: list[Path] = []
    seen: set[str] = set()
    for path in paths:
        p = Path(path)
        if p.is_dir():
            found = _folder_files(p)
            if not found:
                raise InputError(
                    f"{p} is a folder without files policygraph can read: give .txt, .md, .html, .pdf or .docx files."
                )
        else:
            found = [p]
        for f in found:
            key = os.path.realpath(f)
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out


def _folder_files(folder: Path) -> list[Path]:
    found = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = [d for d in dirs if not d.startswith(".") and not d.endswith(("_files", ".files"))]
        for name in files:
            suffix = os.path.splitext(name)[1].lower()
            notes = os.path.splitext(name)[0].upper() in ("README", "LICENSE", "CHANGELOG")
            if not name.startswith(".") and not notes and suffix in READABLE_SUFFIXES | REPORTED_SUFFIXES:
                found.append(Path(root) / name)
    return sorted(found, key=lambda f: f.as_posix())


def short_reason(exc: InputError, path: Path) -> str:
    """The clause of an error sentence that says why, without the path: for the skip summary."""
    reason = getattr(exc, "reason", None)
    if reason:
        return reason
    text = str(exc).strip().rstrip(".")
    for prefix in (str(path), path.name):
        if text.startswith(prefix):
            text = text[len(prefix):].strip()
            break
    return text.removeprefix("is ").strip() or "unreadable"


def skip_summary(skipped: list[Skipped], limit: int = 10) -> str:
    """`a.doc (old Word format, save as .docx), b.png (…), … and 3 more`."""
    parts = [f"{Path(s.path).name} ({s.reason})" for s in skipped[:limit]]
    more = f", and {len(skipped) - limit} more" if len(skipped) > limit else ""
    return ", ".join(parts) + more


def input_summary(sources: list[str], skipped: list[Skipped]) -> str:
    """`312 read, 3 skipped: a.doc (old Word format, save as .docx), …` for the CLI."""
    left_out = {s.path for s in skipped}
    read = sum(1 for path in sources if path not in left_out)
    return f"{read} read, {len(skipped)} skipped" + (f": {skip_summary(skipped)}" if skipped else "")


def no_document_found(paths: list) -> str:
    names = ", ".join(str(p) for p in paths[:3]) + (" …" if len(paths) > 3 else "")
    return f"No policy document was found in {names}: nothing was written."


def check_skips(skipped: list[Skipped], strict: bool, nothing_read: bool) -> None:
    if skipped and strict:
        raise InputError(f"{len(skipped)} file(s) could not be read and --strict is on: {skip_summary(skipped)}.")
    if nothing_read:
        why = f": {skip_summary(skipped)}" if skipped else ""
        raise InputError(f"No document could be read from the input{why}; nothing was saved.")


def read_source(path: str | Path, max_bytes: int = DEFAULT_MAX_INPUT_BYTES, errors: str = "strict") -> SourceText:
    """One file, any supported format (see extract/readers); errors="replace" reads a text file
    with a few undecodable bytes (each becomes U+FFFD)."""
    return read_document(path, max_bytes, errors)


def source_from_string(text: str, path: str = "<string>") -> SourceText:
    """For notebook users and tests: wrap text that is already in memory."""
    return SourceText(path=path, encoding="utf-8", lines=LINE_BREAK.split(text.lstrip("\ufeff")))
