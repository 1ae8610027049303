"""A class folder with one good student and one of each problem a class run must survive."""

from __future__ import annotations

from grader import catalog, discovery

REPO = catalog.REPO_ROOT


def build_class(root):
    """The class of the issue: one good student and one of each problem."""
    solution = (REPO / "solutions" / "05_linear_loop" / "train_linear.py").read_bytes()

    def put(rel, data=solution):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)

    put("class/alice/05_linear_loop/train_linear.py")
    put("class/bob/05_linear_loop/train_linear.py")
    for i in range(discovery.MAX_FILES + 1):
        put(f"class/bob/05_linear_loop/f{i}.py", b"x = 1\n")
    put("class/carol/05_linear_loop/train_linear.py")
    put("class/carol/05_linear_loop/data.csv", b"0" * (21 * 2**20))
    put("class/dave/05_linear_loop/train.py")
    put("class/henry/residual_mlp.py")
    put("class/ivan/hw3/residual_mlp.py")
    put("repo/solutions/05_linear_loop/train_linear.py")
    (root / "class/mallory").mkdir()
    (root / "class/mallory/05_linear_loop").symlink_to("../../repo/solutions/05_linear_loop")
    (root / "class/oscar").mkdir()
    (root / "class/oscar/05_linear_loop").symlink_to("../bob/05_linear_loop")
    put("class/zoe/notes.txt", b"hello")
    return root / "class"
