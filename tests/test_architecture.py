"""The modules of fiches_kb import each other without a cycle.

The graph is read from the source with `ast`, nothing is imported. Importing
`fiches_kb.rules.raw_html` runs `fiches_kb/rules/__init__.py` first, so a
module outside a package that imports one of its submodules also depends on
the package itself. Imports under `if TYPE_CHECKING:` are left out: they
never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

from helpers import REPO

PACKAGE = REPO / "src" / "fiches_kb"


def module_name(path: Path) -> str:
    parts = ["fiches_kb", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def is_type_checking(node: ast.AST) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return isinstance(test, (ast.Name, ast.Attribute)) and ast.unparse(test).endswith("TYPE_CHECKING")


def import_statements(tree: ast.Module, late: bool) -> list[ast.Import | ast.ImportFrom]:
    """The imports of a module: those that run when it is imported, plus those
    inside functions when `late` is true."""
    found = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                found.append(child)
            elif isinstance(child, ast.If) and is_type_checking(child):
                for other in child.orelse:
                    visit(ast.Module(body=[other], type_ignores=[]))
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) and not late:
                continue
            else:
                visit(child)

    visit(tree)
    return found


def imported_modules(name: str, node: ast.Import | ast.ImportFrom) -> set[str]:
    """The fiches_kb modules one import statement of module `name` loads."""
    if isinstance(node, ast.Import):
        targets = {alias.name for alias in node.names}
    else:
        is_package = MODULES[name].name == "__init__.py"
        base = name.split(".") if is_package else name.split(".")[:-1]
        if node.level:
            base = base[: len(base) - (node.level - 1)]
            target = ".".join([*base, node.module] if node.module else base)
        else:
            target = node.module or ""
        # `from . import addresses`, `from .rules import personal_data`: submodules.
        targets = {target} | {f"{target}.{alias.name}" for alias in node.names}
    modules = set()
    for target in targets:
        if target not in MODULES:
            continue
        modules.add(target)
        parts = target.split(".")
        for end in range(2, len(parts)):  # the packages run first (fiches_kb itself has no __init__)
            package = ".".join(parts[:end])
            if package in MODULES and not name.startswith(package + ".") and name != package:
                modules.add(package)
    modules.discard(name)
    return modules


def import_graph(late: bool) -> dict[str, set[str]]:
    graph = {}
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        graph[name] = set().union(*(imported_modules(name, node) for node in import_statements(tree, late)))
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph, as [a, b, …, a], or None."""
    done: set[str] = set()
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in done:
            return None
        path.append(node)
        for target in sorted(graph.get(node, ())):
            cycle = visit(target)
            if cycle:
                return cycle
        path.pop()
        done.add(node)
        return None

    for start in sorted(graph):
        cycle = visit(start)
        if cycle:
            return cycle
    return None


def test_the_graph_sees_relative_and_package_imports():
    graph = import_graph(late=False)
    assert "fiches_kb.problems" in graph["fiches_kb.schema"]
    assert "fiches_kb.rules.raw_html" in graph["fiches_kb.rules"]  # from . import raw_html
    assert {"fiches_kb.rules", "fiches_kb.rules.render_cost"} <= graph["fiches_kb.guide"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_module_level_imports_have_no_cycle():
    cycle = find_cycle(import_graph(late=False))
    assert cycle is None, "import cycle: " + " → ".join(cycle)


def test_no_import_inside_a_function_hides_a_cycle():
    cycle = find_cycle(import_graph(late=True))
    assert cycle is None, "import cycle through an import inside a function: " + " → ".join(cycle)
