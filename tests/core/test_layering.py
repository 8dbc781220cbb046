"""Apps are layers: each imports only the apps below it, and core imports no app at all."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.apps import apps as django_apps

APPS_DIR = Path(__file__).resolve().parents[2] / "apps"

# Lowest first. An app may import itself and the apps before it, never one after it.
# `demo` (seed_demo, which calls every app's demo data) sits on top with the dashboards.
LAYERS = [
    "core",
    "accounts",
    "companies",
    "verification",
    "pricing",
    "bookings",
    "tracking",
    "cargo",
    "demo",
]
RANK = {name: rank for rank, name in enumerate(LAYERS)}
# A dotted path in a string ("apps.pricing.services.x", for import_string) is a dependency too.
DOTTED_APP_PATH = re.compile(r"apps\.([a-z_]+)(\.[A-Za-z_][A-Za-z0-9_]*)+")


def app_modules(app: str) -> list[Path]:
    return sorted(path for path in (APPS_DIR / app).rglob("*.py") if "migrations" not in path.parts)


def _docstring_nodes(tree: ast.Module) -> set[int]:
    nodes = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                nodes.add(id(body[0].value))
    return nodes


def imported_apps(path: Path) -> list[tuple[int, str]]:
    """(line, app) for every `apps.<app>` this module imports or names as a dotted path."""
    tree = ast.parse(path.read_text(), filename=str(path))
    docstrings = _docstring_nodes(tree)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
            if node.module == "apps":
                names = [f"apps.{alias.name}" for alias in node.names]
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and DOTTED_APP_PATH.fullmatch(node.value)
        ):
            names = [node.value]
        for name in names:
            parts = name.split(".")
            if parts[0] == "apps" and len(parts) > 1:
                found.append((node.lineno, parts[1]))
    return found


def layer_violations() -> list[str]:
    violations = []
    for app in LAYERS:
        if not (APPS_DIR / app).is_dir():
            continue
        for path in app_modules(app):
            for line, imported in imported_apps(path):
                if imported == app:
                    continue
                where = f"{path.relative_to(APPS_DIR.parent)}:{line}"
                if imported not in RANK:
                    violations.append(f"{where} imports apps.{imported}, which has no layer")
                elif app == "core" or RANK[imported] > RANK[app]:
                    violations.append(f"{where}: {app} imports apps.{imported}, a higher layer")
    return violations


def test_every_app_has_a_layer():
    apps_on_disk = {path.name for path in APPS_DIR.iterdir() if (path / "__init__.py").is_file()}

    assert apps_on_disk - set(LAYERS) == set(), "add the new app to LAYERS, in its place"


def test_no_app_imports_an_app_above_it_and_core_imports_none():
    assert layer_violations() == []


def test_model_relations_point_down_the_layers():
    violations = []
    for model in django_apps.get_models():
        app = model._meta.app_label
        if app not in RANK:
            continue
        for field in model._meta.get_fields():
            related = field.related_model
            if related is None or not field.concrete:
                continue
            target = related._meta.app_label
            if target in RANK and target != app and (app == "core" or RANK[target] > RANK[app]):
                violations.append(f"{model.__name__}.{field.name} -> {related.__name__}")

    assert violations == []


def test_the_import_check_sees_top_level_lazy_and_dotted_path_imports(tmp_path):
    # Given a module with each kind of dependency on another app
    module = tmp_path / "module.py"
    module.write_text(
        '"""apps.cargo.models in a docstring is prose, not a dependency."""\n'
        "import apps.pricing.engine\n"
        "from apps.companies.models import Company\n"
        "from apps import verification\n"
        "def later():\n"
        "    from apps.bookings import services\n"
        '    return import_string("apps.tracking.consumers.Fleet")\n'
    )

    # When / Then
    assert imported_apps(module) == [
        (2, "pricing"),
        (3, "companies"),
        (4, "verification"),
        (6, "bookings"),
        (7, "tracking"),
    ]
