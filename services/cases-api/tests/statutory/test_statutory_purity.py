"""The statutory package is pure: standard library only (and the bank-holiday calendar as the
default of the working-day rules), importable without the web stack."""

import ast
import subprocess
import sys
from pathlib import Path

import cases_api.statutory as statutory

PACKAGE_DIR = Path(statutory.__file__).parent


def imported_top_level_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


# England's bank holidays come from a maintained calendar, the working-day rules' default.
ALLOWED_OUTSIDE_THE_STANDARD_LIBRARY = {"working_days.py": {"holidays"}}


def test_every_module_imports_only_the_standard_library_and_itself() -> None:
    modules = sorted(PACKAGE_DIR.glob("*.py"))
    assert modules
    for path in modules:
        allowed = ALLOWED_OUTSIDE_THE_STANDARD_LIBRARY.get(path.name, set())
        for name in imported_top_level_modules(path):
            top = name.split(".")[0]
            assert (
                top in sys.stdlib_module_names
                or top in allowed
                or name.startswith("cases_api.statutory")
            ), f"{path.name} imports {name}"


def test_importing_the_package_loads_no_framework() -> None:
    # A stand-in parent package, so that only the statutory package's own imports are measured
    # (whatever cases_api/__init__.py grows to import is not this package's concern).
    code = (
        "import sys, types\n"
        "parent = types.ModuleType('cases_api')\n"
        f"parent.__path__ = [{str(PACKAGE_DIR.parent)!r}]\n"
        "sys.modules['cases_api'] = parent\n"
        "import cases_api.statutory\n"
        "loaded = {'fastapi', 'pydantic', 'sqlalchemy', 'starlette'} & set(sys.modules)\n"
        "print(sorted(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "[]"


def test_public_api_is_declared_and_complete() -> None:
    exported = set(statutory.__all__)
    assert len(exported) == len(statutory.__all__)
    for name in exported:
        assert hasattr(statutory, name), name
