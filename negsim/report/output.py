"""Writing output files: all or nothing, atomically, never overwriting unless asked."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from pathlib import Path

from negsim.errors import UsageError


def write_files(files: Mapping[Path, bytes | str], *, force: bool = False) -> list[Path]:
    """Write every file, or none of them.

    Existing files are refused (a :class:`UsageError` lists them) unless ``force``; each file
    is written to a temporary name beside its target and then renamed, so a reader never sees
    a half-written file. Missing folders are created.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> [p.name for p in write_files({folder / "a.txt": "hello"})]
    ['a.txt']
    >>> try:
    ...     write_files({folder / "a.txt": "again"})
    ... except UsageError as error:
    ...     print(str(error).endswith("a.txt already exists; use --force to overwrite it"))
    True
    """
    existing = [path for path in files if path.exists()]
    if existing and not force:
        names = ", ".join(str(path) for path in existing)
        verb, them = ("exists", "it") if len(existing) == 1 else ("exist", "them")
        raise UsageError(f"{names} already {verb}; use --force to overwrite {them}")
    written = []
    for path, content in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.tmp{os.getpid()}")
        try:
            if isinstance(content, str):
                temporary.write_text(content, encoding="utf-8")
            else:
                temporary.write_bytes(content)
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
        written.append(path)
    return written
