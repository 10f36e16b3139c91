"""The check that code imports only the public API (:data:`otr_theory.PUBLIC_MODULES`), shared by
the notebook test and the public-API test.

:func:`private_uses` parses Python source (IPython magics transformed first) and lists every use of
a non-public part of ``otr_theory``: an ``import`` of a module not in ``PUBLIC_MODULES``, a
``from M import name`` where ``name`` is neither in ``M.__all__`` nor a public submodule, and an
attribute chain from an imported ``otr_theory`` module (``o.report.core``) that reaches a private
submodule or a name outside ``__all__``. Attributes of values (records, figures) are not checked.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util

import otr_theory

PUBLIC = frozenset(otr_theory.PUBLIC_MODULES)


def _is_ours(module: str) -> bool:
    return module == "otr_theory" or module.startswith("otr_theory.")


def _exports(module: str) -> frozenset[str]:
    return frozenset(getattr(importlib.import_module(module), "__all__", ()))


def _is_submodule(parent: str, name: str) -> bool:
    try:
        return importlib.util.find_spec(f"{parent}.{name}") is not None
    except (ModuleNotFoundError, ValueError):
        return False


def _python(source: str) -> str:
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:  # pragma: no cover - IPython comes with the notebook extra
        return "\n".join(ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!")))
    return TransformerManager().transform_cell(source)


def _chain(node: ast.Attribute) -> tuple[str, list[str]] | None:
    attrs = []
    cur: ast.expr = node
    while isinstance(cur, ast.Attribute):
        attrs.append(cur.attr)
        cur = cur.value
    return (cur.id, attrs[::-1]) if isinstance(cur, ast.Name) else None


def private_uses(source: str, bound: dict[str, str] | None = None) -> list[str]:
    """Every non-public use of ``otr_theory`` in ``source`` (empty: public only).

    ``bound`` maps names bound to ``otr_theory`` modules by earlier code (a notebook's earlier
    cells) and is updated with this code's imports.
    """
    bound = {} if bound is None else bound
    tree = ast.parse(_python(source))
    bad: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if not _is_ours(a.name):
                    continue
                if a.name not in PUBLIC:
                    bad.append(f"import {a.name}")
                if a.asname:
                    bound[a.asname] = a.name
                else:
                    bound["otr_theory"] = "otr_theory"
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and _is_ours(node.module):
            m = node.module
            if m not in PUBLIC:
                bad.append(f"from {m} import ...")
                continue
            for a in node.names:
                sub = f"{m}.{a.name}"
                if sub in PUBLIC:
                    bound[a.asname or a.name] = sub
                elif a.name == "*" or a.name not in _exports(m):
                    bad.append(f"from {m} import {a.name}")
    inner = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Attribute)}  # a.b of a.b.c: check the whole chain once
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute) or id(node) in inner:
            continue
        chain = _chain(node)
        if chain is None or chain[0] not in bound:
            continue
        module = bound[chain[0]]
        for attr in chain[1]:
            if _is_submodule(module, attr):
                module = f"{module}.{attr}"
                if module not in PUBLIC:
                    bad.append(f"{chain[0]}.{'.'.join(chain[1])}: {module} is not public")
                    break
                continue
            if attr not in _exports(module):
                bad.append(f"{chain[0]}.{'.'.join(chain[1])}: {attr} is not in {module}.__all__")
            break
    return sorted(set(bad))
