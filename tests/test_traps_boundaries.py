"""Group-sequential boundaries against published tables and R's rpact (its unit tests' values).

Sources: Armitage, McPherson & Rowe (1969) and Jennison & Turnbull, *Group Sequential Methods*
(2000), tables 1.1 (repeated testing at the nominal 5%), 2.1 (Pocock's constant) and 2.3
(O'Brien–Fleming's constant), all two-sided alpha 0.05 with equally spaced looks; Lan–DeMets
O'Brien–Fleming-type spending for 5 looks as R's ldbounds/gsDesign print it; and rpact's
``tests/testthat/test-f_design_group_sequential.R`` (one-sided designs, 7-digit values).
"""

import numpy as np
import pytest

from edu_survival.traps import boundaries as gs

# Jennison & Turnbull (2000), table 1.1 (after Armitage, McPherson & Rowe 1969)
REPEATED = {1: 0.05, 2: 0.083, 3: 0.107, 4: 0.126, 5: 0.142, 10: 0.193}
# tables 2.1 and 2.3: Pocock's C_P(K, 0.05) and O'Brien–Fleming's C_B(K, 0.05)
POCOCK = {1: 1.960, 2: 2.178, 3: 2.289, 4: 2.361, 5: 2.413, 10: 2.555}
OBF = {1: 1.960, 2: 1.977, 3: 2.004, 4: 2.024, 5: 2.040, 10: 2.087}


@pytest.mark.parametrize("looks", sorted(REPEATED))
def test_repeated_testing_at_the_nominal_level(looks):
    assert gs.repeated_testing_error(looks) == pytest.approx(REPEATED[looks], abs=5e-4)


@pytest.mark.parametrize("looks", sorted(POCOCK))
def test_pocock_constant(looks):
    b = gs.pocock(looks)
    assert b.z[0] == pytest.approx(POCOCK[looks], abs=5e-4)
    assert np.all(b.z == b.z[0])
    assert b.type1_error == pytest.approx(0.05, abs=1e-7)


@pytest.mark.parametrize("looks", sorted(OBF))
def test_obrien_fleming_constant(looks):
    b = gs.obrien_fleming(looks)
    assert b.z[-1] == pytest.approx(OBF[looks], abs=5e-4)
    assert b.type1_error == pytest.approx(0.05, abs=1e-7)


def test_obrien_fleming_five_looks_as_the_issue_quotes():
    assert gs.obrien_fleming(5).z.round(2).tolist() == [4.56, 3.23, 2.63, 2.28, 2.04]


def test_lan_demets_obrien_fleming_five_looks():
    two_sided = gs.spending(5, alpha=0.05, function="obrien-fleming")
    np.testing.assert_allclose(two_sided.z, [4.8769, 3.3569, 2.6803, 2.2898, 2.0310], atol=2e-4)
    # each side spends alpha / 2: the same boundaries as the one-sided design at 0.025
    one_sided = gs.spending(5, alpha=0.025, function="obrien-fleming", sided=1)
    np.testing.assert_allclose(one_sided.z, two_sided.z, atol=1e-6)
    assert two_sided.type1_error == pytest.approx(0.05, abs=1e-7)


def test_rpact_classical_obrien_fleming_three_looks():
    # getDesignInverseNormal() defaults: kMax 3, alpha 0.025 one-sided, typeOfDesign "OF"
    b = gs.obrien_fleming(3, alpha=0.025, sided=1)
    np.testing.assert_allclose(b.z, [3.4710914, 2.4544323, 2.0040356], atol=2e-6)
    np.testing.assert_allclose(b.spent, [0.00025917372, 0.0071600594, 0.025], atol=2e-7)


def test_rpact_pocock_spending_with_a_last_fraction_below_one():
    # getDesignGroupSequential(informationRates = c(0.4, 0.7), typeOfDesign = "asP")
    b = gs.spending(fractions=[0.4, 0.7], alpha=0.025, function="pocock", sided=1)
    np.testing.assert_allclose(b.z, [2.223875, 2.3050796], atol=2e-6)
    np.testing.assert_allclose(b.spent, [0.013078429, 0.0197432], atol=2e-8)


def test_rpact_user_spending_list():
    # typeOfDesign = "asUser", userAlphaSpending = c(0.01, 0.02, 0.03, 0.05), 4 equal looks
    b = gs.spending(4, alpha=0.05, function=[0.01, 0.02, 0.03, 0.05], sided=1)
    np.testing.assert_allclose(b.z, [2.3263479, 2.2192994, 2.1201347, 1.8189562], atol=2e-6)


def test_rpact_spending_function_and_uneven_looks():
    # asHSD with gammaA = 0 is linear spending alpha * t; informationRates c(0.2, 0.4, 1), alpha 0.03
    linear = gs.spending(fractions=[0.2, 0.4, 1.0], alpha=0.03, function=lambda t: 0.03 * t, sided=1)
    np.testing.assert_allclose(linear.z, [2.5121443, 2.4228747, 2.0280392], atol=2e-6)
    # asOF, informationRates c(0.4, 0.75, 1), alpha 0.13 (rpact's efficacy bounds, futility non-binding)
    of = gs.spending(fractions=[0.4, 0.75, 1.0], alpha=0.13, function="obrien-fleming", sided=1)
    np.testing.assert_allclose(of.z, [2.1280732, 1.4368565, 1.2468994], atol=2e-6)
    np.testing.assert_allclose(of.spent, [0.016665509, 0.080406163, 0.13], atol=2e-8)


def test_crossing_probabilities_add_up_to_what_the_design_spends():
    b = gs.pocock(4)
    per_look = gs.crossing_probabilities(b.z, b.fractions)
    np.testing.assert_allclose(np.cumsum(per_look), b.spent, atol=1e-12)
    assert per_look.sum() == pytest.approx(0.05, abs=1e-7)


def test_power_grows_with_the_drift_and_obrien_fleming_loses_little():
    drift = 2.8016  # z_0.975 + z_0.8: 80% power for a single look
    fixed = gs.nominal(1).power(drift)
    assert fixed == pytest.approx(0.80, abs=1e-3)
    obf, poc = gs.obrien_fleming(5).power(drift), gs.pocock(5).power(drift)
    assert obf < fixed and poc < obf  # boundaries cost power, Pocock's most
    assert fixed - obf < 0.02  # O'Brien–Fleming's cost is small (Jennison & Turnbull, table 2.4)
    assert gs.obrien_fleming(5).power(drift + 0.5) > obf


def test_bad_input_names_the_parameter():
    with pytest.raises(ValueError, match="looks"):
        gs.pocock(0)
    with pytest.raises(ValueError, match="fractions"):
        gs.spending(fractions=[0.5, 0.4])
    with pytest.raises(ValueError, match="alpha"):
        gs.obrien_fleming(3, alpha=1.5)
    with pytest.raises(ValueError, match="sided"):
        gs.pocock(3, sided=3)
    with pytest.raises(ValueError, match="function"):
        gs.spending(3, function="linear")
    with pytest.raises(ValueError, match="cumulative"):
        gs.spending(2, function=[0.03, 0.02])
    with pytest.raises(ValueError, match="one positive boundary per look"):
        gs.crossing_probabilities([1.96], [0.5, 1.0])


def test_table_and_sentence_say_what_the_boundaries_spend():
    b = gs.obrien_fleming(5)
    table = b.table()
    assert list(table.columns) == ["information fraction", "z boundary", "nominal p", "false alarms so far"]
    assert table["false alarms so far"].iloc[-1] == pytest.approx(0.05, abs=1e-4)
    assert "4.56" in str(b) and "0.050" in str(b)
