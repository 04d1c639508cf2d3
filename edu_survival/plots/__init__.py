"""Plots (moving into a package: this step only renames the module)."""

from . import km as _module

globals().update({k: v for k, v in vars(_module).items() if not k.startswith("__")})
__all__ = _module.__all__
__doc__ = _module.__doc__
