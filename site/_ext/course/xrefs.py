"""Cross-references from docstrings, resolved as Python would import the names they give.

Broken cross-references are errors (the site is built with ``-n -W``): ours must resolve; types
from other packages (no intersphinx: the build is offline) are named, not linked.
:func:`resolve_ours`, :class:`TypesLinkOnlyToUs` and :func:`quiet_outside` set that scope.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.transforms.post_transforms import SphinxPostTransform

from .sources import import_object, public_modules


def _canonical_names(target: str, module: str | None) -> list[str]:
    """Where the object a docstring names is documented: its defining module's page.

    Docstrings name objects as Python code would: ``edu_survival.power`` (a re-export),
    ``LAPATINIB`` inside ``widgets`` (an import), ``Scenario.scale``.
    """
    target = target.lstrip("~.")
    tried = [f"{module}.{target}"] if module else []
    tried += [f"edu_survival.{target}", target]
    names = []
    for dotted in tried:
        obj = import_object(dotted)
        if obj is None:
            continue
        obj = getattr(obj, "fget", obj)  # a property: its getter knows where it lives
        qual, mod = getattr(obj, "__qualname__", None), getattr(obj, "__module__", None)
        if qual and mod and mod.startswith("edu_survival"):
            names.append(f"{mod}.{qual}")
        last = dotted.rsplit(".", 1)[-1]  # data (LAPATINIB): every module holding it
        for name in public_modules():
            if getattr(import_object(f"edu_survival.{name}"), last, None) is obj:
                names.append(f"edu_survival.{name}.{last}")
    return names


def resolve_ours(app, env, node, contnode):
    """Resolve a reference to this package's objects by what Python would import."""
    if node.get("refdomain") != "py":
        return None
    domain = env.get_domain("py")
    for name in _canonical_names(node["reftarget"], node.get("py:module")):
        if name in domain.objects:
            return domain.resolve_xref(env, node["refdoc"], app.builder, "obj", name, node,
                                       contnode)  # fmt: skip
    return None


def _exists_elsewhere(target: str, module: str | None) -> bool:
    """Whether ``target`` names real code that has no page here (another package's, a builtin,
    or one of ours that the reference does not document): shown as text, not a broken link."""
    target = target.lstrip("~.")
    candidates = [f"{module}.{target}"] if module else []
    candidates += [target, f"builtins.{target}"]
    return any(import_object(c) is not None for c in candidates)


class TypesLinkOnlyToUs(SphinxPostTransform):
    """A parameter's type is prose (``ndarray, shape (n_sims, n)``, ``{"logrank", "cox"}``):
    link only the words that name one of our documented objects, exactly; the rest is text.
    (Sphinx would otherwise fuzzy-match ``n`` to some attribute called ``n``.)"""

    default_priority = 5  # before Sphinx resolves references (10)

    def run(self, **kwargs):
        domain = self.env.get_domain("py")
        for node in list(self.document.findall(pending_xref)):
            target = node.get("reftarget", "")
            if node.get("refdomain") != "py" or not node.get("refspecific") or target[:1] == ".":
                continue  # written with a role: resolved (or reported) as usual
            ours = [
                n for n in _canonical_names(target, node.get("py:module")) if n in domain.objects
            ]
            if ours:
                node["reftarget"], node["refspecific"] = ours[0], False
            else:
                node.replace_self(node.children or [nodes.Text(target)])


def quiet_outside(app, domain, node) -> bool:
    """References written with a role must name something real: ours (linked) or another
    package's (text: the build is offline, so no intersphinx). A name that exists nowhere
    (a typo, a removed function) stays a warning, so an error under -W."""
    if domain is None or domain.name != "py":
        return False
    return _exists_elsewhere(node.get("reftarget", ""), node.get("py:module"))


# Napoleon reads "Exact number of patients per arm: ..." in a property's docstring as a type
# ("Exact number of patients per arm") and a description. Our properties say what they are in
# prose, so a one-paragraph property docstring is kept as written.
_PROPERTY_PROSE: dict[str, list[str]] = {}


def keep_property_prose(app, what, name, obj, options, lines) -> None:
    if (
        what in ("property", "attribute")
        and lines
        and not any(set(x.strip()) == {"-"} for x in lines)
    ):
        _PROPERTY_PROSE[name] = list(lines)


def restore_property_prose(app, what, name, obj, options, lines) -> None:
    if name in _PROPERTY_PROSE:
        lines[:] = _PROPERTY_PROSE.pop(name)
