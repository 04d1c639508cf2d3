"""The hypothesis profile of every property test: the same examples on every run (CI), no time
limit per example (a slow machine is not a failure), no example database."""

from hypothesis import HealthCheck, settings

settings.register_profile(
    "edu_survival", derandomize=True, deadline=None, database=None, print_blob=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.filter_too_much],
)
settings.load_profile("edu_survival")
