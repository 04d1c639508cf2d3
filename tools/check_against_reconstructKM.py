"""Cross-check ``reconstruct.guyot`` against the R package reconstructKM's documented examples.

reconstructKM (Sun, GPL-3; github.com/ryanrsun/reconstructKM) ships clicks and numbers at risk
digitised from two published figures, as R data files (the EF-14 files are in its first
commit, b65809f; the KEYNOTE-189 ones in every version). Its data are not copied into this
project: point this script at a checkout of it with both in ``data/``. Reading R data needs the ``rdata`` package
(not a dependency of edu_survival; ``pip install rdata`` somewhere on PYTHONPATH).

    PYTHONPATH=$PWD python tools/check_against_reconstructKM.py path/to/reconstructKM

Checks, and prints:

1. EF-14 (TTFields, progression-free survival), placebo arm: the first six reconstructed deaths
   equal the six rows printed in reconstructKM's README (its own R reconstruction).
2. KEYNOTE-189 (pembrolizumab, overall survival; the clicks of reconstructKM's vignette): the
   hazard ratio, its 95% CI and the 12-month survival rebuilt here, to set beside the paper's
   (Gandhi et al., NEJM 2018).
"""

import sys
from pathlib import Path

import edu_survival as es
from edu_survival import reconstruct

README_FIRST_DEATHS = [0.5948427, 0.8578437, 0.9400316, 0.9400316, 0.9975630, 1.0304382]


def load(root: Path, name: str):
    import rdata

    path = next(p for p in (root / "data").glob(f"{name}.*"))
    frame = next(iter(rdata.read_rda(str(path)).values())).reset_index(drop=True)
    return frame.rename(columns={"NAR": "at_risk"})


def main(root: Path) -> None:
    clicks, table = load(root, "TTfields_pfs_pbo_clicks"), load(root, "TTfields_pfs_pbo_NAR")
    deaths = reconstruct.guyot(clicks, table).query("event == 1")["time"].round(7).head(6).tolist()
    print("EF-14 placebo, first six deaths:", deaths)
    print("reconstructKM README:           ", README_FIRST_DEATHS, "equal:", deaths == README_FIRST_DEATHS)

    arms = {"control": (load(root, "pbo_clicks"), load(root, "pbo_NAR")),
            "treatment": (load(root, "pembro_clicks"), load(root, "pembro_NAR"))}
    result = es.analyze(reconstruct.trial(arms), unit="months")
    print("KEYNOTE-189 rebuilt:", result.summary())
    print("12-month survival rebuilt:", {arm: round(float(result.curves[arm].at(12)), 3) for arm in result.arms})


if __name__ == "__main__":
    main(Path(sys.argv[1]))
