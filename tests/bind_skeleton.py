"""Names a sandbox shows on the way to the folders bound for Python: empty mount points, there by design."""

from __future__ import annotations


def bind_skeleton(folder: str) -> set[str]:
    """The first names under `folder` of every Python folder bound into the sandbox (a virtual
    environment in a checkout, `.venv` below the repository or below /tmp)."""
    from grader.sandbox.child_side.confine import python_bind_paths

    top = folder.rstrip("/") + "/"
    return {p[len(top):].split("/")[0] for p in python_bind_paths() if p.startswith(top)}
