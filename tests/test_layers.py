"""The package's layers (macros/__init__.py): each imports only the layers before it."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import missing

PACKAGE = Path(__file__).resolve().parent.parent / "macros"

# The order of macros/__init__.py's docstring: a layer may import itself and the layers before it.
LAYERS = ["core", "cards", "extract", "shapes", "rules", "site", "commands"]

# The package's own entry points (define_env, `python -m macros`) may import any layer.
ENTRY_POINTS = {"macros", "macros.__main__"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = sorted(PACKAGE.rglob("*.py"))


def imported(path: Path) -> set[str]:
    """Every `macros` module `path` imports, absolute or relative, at any depth of its code."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            # `from macros.site import render` imports the module macros.site.render
            found.update(f"{target}.{a.name}" for a in node.names)
    return {m for m in found if m == "macros" or m.startswith("macros.")}


def layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else None


def test_import_macros_in_a_fresh_interpreter() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import macros; import macros.commands.cli"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_every_layer_is_a_documented_subpackage() -> None:
    on_disk = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert on_disk == set(LAYERS)
    for name in LAYERS:
        doc = ast.get_docstring(ast.parse((PACKAGE / name / "__init__.py").read_text()))
        assert doc, f"macros/{name}/__init__.py has no docstring"
        assert "May import" in doc, f"macros/{name}/__init__.py does not say what it may import"


def test_only_entry_points_live_at_the_top() -> None:
    top = {p.name for p in PACKAGE.glob("*.py")}
    assert top == {"__init__.py", "__main__.py"}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_a_layer_imports_only_the_layers_before_it(path: Path) -> None:
    name = module_name(path)
    if name in ENTRY_POINTS:
        return
    own = layer(name)
    assert own is not None, f"{name} is in no layer"
    higher = sorted(
        target
        for target in imported(path)
        if (other := layer(target)) is None or LAYERS.index(other) > LAYERS.index(own)
    )
    assert not higher, f"{name} ({own}) imports a later layer: {higher}"


def test_no_module_is_named_after_a_standard_library_module() -> None:
    named = {p.stem for p in MODULES if p.stem not in {"__init__", "__main__"}}
    assert not named & sys.stdlib_module_names


def test_the_hook_folder_shadows_no_standard_library_module() -> None:
    """MkDocs puts the hook file's folder on sys.path while it loads it (mkdocs.yml `hooks:`)."""
    mkdocs = (PACKAGE.parent / "mkdocs.yml").read_text(encoding="utf-8")
    hooks = []
    for line in mkdocs.split("\nhooks:\n", 1)[1].splitlines():
        if not line.startswith("  - "):
            break
        hooks.append(line.removeprefix("  - ").split("#")[0].strip())
    assert hooks == ["macros/site/hooks.py"]
    folder = (PACKAGE.parent / hooks[0]).parent
    names = {p.stem for p in folder.iterdir() if p.suffix == ".py" or (p / "__init__.py").exists()}
    assert not names & sys.stdlib_module_names


def test_no_package_file_is_ignored_by_git() -> None:
    """`.gitignore`'s `/site/` is MkDocs' output at the root, not the `macros/site/` layer."""
    if shutil.which("git") is None or not (PACKAGE.parent / ".git").exists():
        missing("git or .git is missing", "a source copy has no .gitignore to apply")
    done = subprocess.run(
        ["git", "check-ignore", "--no-index", *(str(p) for p in MODULES)],
        cwd=PACKAGE.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout == "", f"ignored by git: {done.stdout}"
