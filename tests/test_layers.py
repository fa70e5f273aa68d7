"""The apps' imports flow one way, and the pure engines stay free of Django.

Floors, lowest first: the ground of `odpe` (accounts and roles, audit, files, workflow helpers, errors,
enqueueing a task by name in `odpe.queue`…) ← `conventions` ← `uploads` ← `dashboards` ← the roof
(`odpe.roof`, and the wiring `odpe.settings`, `odpe.urls`, `odpe.wsgi`). A module never imports one of a
higher floor, not even inside a function: a process that spans floors is composed on the roof (see
`odpe.roof`). Every module of the four apps is read, function-level imports included, relative imports
resolved; migrations are history, not design, and are left out.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["odpe", "conventions", "uploads", "dashboards"]
GROUND, ROOF = 0, 4
FLOORS = {"odpe": GROUND, "conventions": 1, "uploads": 2, "dashboards": 3}
WIRING = {"odpe.settings", "odpe.urls", "odpe.wsgi"}  # Django's and the deploy's entry points: roof
# Edges another branch removes; the coordinator empties this set when that branch is merged.
# test_every_pending_edge_still_exists fails once the edge is gone, so that the allowance cannot outlive it.
PENDING: set[tuple[str, str]] = set()
# Pure Python: they import nothing from Django, nor any module that does.
PURE_ENGINES = [
    "uploads.validation",
    "dashboards.disclosure",
    "dashboards.snapshot",
    "dashboards.charts",
    "dashboards.maps",
    "dashboards.comparison",
    "dashboards.filetypes",
    "conventions.dates",
    "uploads.transfers.pseudonymisation",
    "uploads.transfers.tables",
    "uploads.transfers.checks",
    "uploads.transfers.linkage",
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and "__pycache__" not in path.parts
    }


def imported_names(source: str, module: str, is_package: bool = False) -> set[str]:
    """Every name an import statement of the source reaches, wherever it stands (a function body
    included): `from a.b import c` gives both `a.b` and `a.b.c`, and a relative import is resolved."""
    package = module if is_package else module.rpartition(".")[0]
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                origin = ".".join([*base, node.module] if node.module else base)
            else:
                origin = node.module
            names.add(origin)
            names.update(f"{origin}.{alias.name}" for alias in node.names)
    return names


def resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The project module a dotted name designates (`odpe.audit.Actor` is `odpe.audit`), if any."""
    parts = name.split(".")
    while parts:
        if ".".join(parts) in modules:
            return ".".join(parts)
        parts.pop()
    return None


def floor_of(module: str) -> int:
    if module in WIRING or module == "odpe.roof" or module.startswith("odpe.roof."):
        return ROOF
    return FLOORS[module.split(".")[0]]


def imports_of(module: str, modules: dict[str, Path]) -> set[str]:
    path = modules[module]
    names = imported_names(path.read_text(encoding="utf-8"), module, path.name == "__init__.py")
    return {target for name in names if (target := resolve(name, modules)) and target != module}


def upward_imports() -> set[tuple[str, str]]:
    modules = project_modules()
    return {
        (module, target)
        for module in modules
        for target in imports_of(module, modules)
        if floor_of(target) > floor_of(module)
    }


def test_no_module_imports_a_higher_floor():
    upward = upward_imports() - PENDING

    assert sorted(upward) == [], "A lower floor imports a higher one: compose the process on the roof."


def test_every_pending_edge_still_exists():
    assert PENDING <= upward_imports(), "An allowed edge is gone: remove it from PENDING."


def test_the_import_reader_sees_function_level_and_relative_imports():
    source = (
        "from . import selectors\n"
        "from ..roof.views import home\n"
        "def close():\n"
        "    from dashboards.services import close_consent_requests\n"
        "    import uploads.services\n"
    )

    names = imported_names(source, "odpe.accounts.forms")

    assert {
        "odpe.accounts.selectors",
        "odpe.roof.views",
        "odpe.roof.views.home",
        "dashboards.services.close_consent_requests",
        "uploads.services",
    } <= names
    assert imported_names("from . import audit\n", "odpe", is_package=True) >= {"odpe.audit"}


def test_the_floors_put_the_roof_above_every_app_and_the_rest_of_odpe_below():
    assert floor_of("odpe.roof.withdrawals") > floor_of("dashboards.services") > floor_of("uploads.services")
    assert floor_of("uploads.services") > floor_of("conventions.services") > floor_of("odpe.accounts.forms")
    assert floor_of("odpe.urls") == ROOF
    assert floor_of("odpe.celery") == GROUND


def pure_modules(modules: dict[str, Path]) -> set[str]:
    return {
        module
        for module in modules
        for engine in PURE_ENGINES
        if module == engine or module.startswith(f"{engine}.")
    }


def test_pure_engines_import_nothing_from_django():
    modules = project_modules()
    pure = pure_modules(modules)
    offenders = sorted(
        f"{module} imports {name}"
        for module in pure
        for name in imported_names(
            modules[module].read_text(encoding="utf-8"), module, modules[module].name == "__init__.py"
        )
        if name.split(".")[0] == "django" or (resolve(name, modules) or module) not in pure
    )

    assert len(pure) > len(PURE_ENGINES), "The engines were not found."
    assert offenders == [], "A pure engine imports Django, or a module of the project that is not pure."
