"""Helpers of lesson 08 (the capstone).

Lesson 08 needs none of its own: it calls ``check_claims`` and ``effect_sizes`` directly, and the
lung data helpers (``load_lung``, ``lung_by_sex``) are shared with lesson 07, so they live in
``common.py``.
"""
