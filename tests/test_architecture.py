"""The parts of docs/architecture.md keep their borders: what each may import, and no cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "caravane"

# part -> the module prefixes it is made of (longest prefix wins)
PARTS = {
    "words": ["caravane.vocabulary", "caravane.addresses"],
    "assistant": ["caravane.assistant"],
    "foundation": ["caravane.config", "caravane.extensions", "caravane.storage", "caravane.i18n",
                   "caravane.security", "caravane.links", "caravane.forms", "caravane.ratelimit",
                   "caravane.errors", "caravane.health", "caravane.typography",
                   "caravane.links_in_text", "caravane.page_cache"],
    "transport": ["caravane.transport"],
    "tour": ["caravane.tour"],
    "accounts": ["caravane.accounts"],
    "board rules": ["caravane.board.inputs", "caravane.board.errors", "caravane.board.events",
                    "caravane.board.payloads", "caravane.board.models", "caravane.board.rules",
                    "caravane.board.snapshots", "caravane.board.messages",
                    "caravane.board.retention", "caravane.board.export",
                    "caravane.board.identity", "caravane.board.forms", "caravane.board.sequence",
                    "caravane.board"],
    "board transport": ["caravane.board.service", "caravane.board.publisher",
                        "caravane.board.analysis", "caravane.board.beat"],
    "board handlers": ["caravane.board.sockets", "caravane.board.session",
                       "caravane.board.attendee", "caravane.board.console",
                       "caravane.board.projector"],
    "record": ["caravane.record"],
    "record pages": ["caravane.record.views"],
    "wiring": ["caravane", "caravane.cli", "caravane.server", "caravane.migrations"],
}
# part -> the parts it may import (itself always)
ALLOWED = {
    "words": set(),
    "assistant": set(),
    "foundation": {"words"},
    "transport": {"words", "foundation"},
    "tour": {"words", "foundation"},
    "accounts": {"words", "foundation", "tour"},
    "board rules": {"words", "foundation", "tour", "accounts", "assistant"},
    "board transport": {"words", "foundation", "transport", "tour", "accounts", "board rules"},
    "board handlers": {"words", "foundation", "transport", "tour", "accounts", "board rules",
                       "board transport"},
    "record": {"words", "foundation", "tour", "accounts", "board rules"},
    "record pages": {"words", "foundation", "tour", "accounts", "board rules",
                     "board handlers", "record"},
    "wiring": set(PARTS),
}
# Libraries that only the transport and handlers may touch: the rules know no HTTP or socket.
TRANSPORT_LIBRARIES = ("flask_socketio", "socketio", "engineio")


def module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def part_of(module: str) -> str:
    best, best_length = None, -1
    for part, prefixes in PARTS.items():
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best_length:
                best, best_length = part, len(prefix)
    assert best, f"{module} belongs to no part of docs/architecture.md"
    return best


def imports(path: Path, top_level_only: bool = False) -> set[str]:
    tree = ast.parse(path.read_text())
    nodes = tree.body if top_level_only else ast.walk(tree)
    found = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                name = f"{node.module}.{alias.name}"
                found.add(name if name in MODULES else node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")
           if "migrations" not in path.parts}


def known(name: str) -> str | None:
    """The caravane module an import names (`from caravane.board import rules` names
    caravane.board.rules), or None for a library."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


@pytest.mark.parametrize("module", sorted(MODULES))
def test_each_module_imports_only_what_its_part_may(module):
    part = part_of(module)
    for name in imports(MODULES[module]):
        target = known(name)
        if target is None:
            if part in ("board rules", "record", "tour", "accounts", "assistant", "words"):
                assert not name.startswith(TRANSPORT_LIBRARIES), f"{module} imports {name}"
            continue
        other = part_of(target)
        assert other == part or other in ALLOWED[part], (
            f"{module} ({part}) imports {target} ({other})")


def test_the_rules_never_read_the_request():
    for module, path in MODULES.items():
        if part_of(module) in ("board rules", "record"):
            assert "flask.request" not in imports(path), module


def test_no_import_cycle_between_modules():
    graph = {module: {known(name) for name in imports(path, top_level_only=True)} - {None}
             for module, path in MODULES.items()}
    visiting, done = set(), set()

    def visit(module, trail):
        if module in done:
            return
        assert module not in visiting, "import cycle: " + " → ".join([*trail, module])
        visiting.add(module)
        for target in graph[module]:
            if target != module:
                visit(target, [*trail, module])
        visiting.discard(module)
        done.add(module)

    for module in graph:
        visit(module, [])
