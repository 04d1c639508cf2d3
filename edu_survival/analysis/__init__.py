"""The steps behind :func:`edu_survival.analyze.analyze`, one concept per module, bottom up.

- ``words``: the sentences and number formats every summary, plot and widget shares;
- ``km``: the Kaplan–Meier curve as plain arrays, its median, RMST and variances;
- ``prepare``: cleaning and validating a data set (columns, times, events, arms);
- ``logrank``: the log-rank test, plain and weighted;
- ``cox``: the Cox hazard ratio, the proportional hazards test and the HR by period.

Users import from :mod:`edu_survival.analyze` (or ``edu_survival``); these modules never import
plots or widgets.
"""
