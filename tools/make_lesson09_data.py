"""Write lesson 09's data: the points a person clicked on the "published" figure, and its table.

Run once from the repository root (the files are committed; tests check they match):

    PYTHONPATH=$PWD python tools/make_lesson09_data.py

The figure is drawn by ``edu_survival.teaching.lesson09.published_figure()`` from an invented,
simulated trial; the clicks are ``lesson09.lesson_digitised()`` (fixed seeds).
"""

from pathlib import Path

from edu_survival.teaching import lesson09

for path in lesson09.write_lesson_data(Path(__file__).resolve().parents[1] / "lessons" / "data"):
    print("wrote", path)
