"""Rebuilding a trial from its published curve (moving into a package: this step only renames
the module)."""

from . import guyot as _module

globals().update({k: v for k, v in vars(_module).items() if not k.startswith("__")})
__doc__ = _module.__doc__
__getattr__ = _module.__getattr__
