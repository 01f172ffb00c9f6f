"""Closedness of sparse products: patterns, reductions, witnesses, certificates, the checker."""

from __future__ import annotations

import copy
import itertools
import json
import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from semialg.errors import InputError
from semialg.sparse import (
    SupportPattern,
    canonical_patterns,
    check_certificate,
    closedness,
    dense,
    diagonal,
    lu,
    reduce_pattern,
    ul,
)
from semialg.sparse.census import shapes
from semialg.sparse.exact import decide_group_closed
from semialg.testing.products import (
    check_limit_numerically,
    random_factors,
    sample_product,
    z3_member,
)
from semialg.testing.strategies import support_patterns


def decided(p, budget=60):
    res = closedness(p, budget=budget)
    assert res.verdict in ("closed", "not_closed"), res
    report = check_certificate(json.loads(json.dumps(res.to_json())))
    assert report.ok, report
    return res


# -- patterns -----------------------------------------------------------------------------------
def test_text_form_round_trip_and_shapes():
    p = SupportPattern.parse("10,11 11,01")
    assert p == lu(2)
    assert str(p) == "10,11 11,01"
    assert p.dims == (2, 2, 2) and p.shape == (2, 2)
    q = SupportPattern([[[1, 0], [1, 1]], [[1, 1], [0, 1]]])
    assert q == p
    import numpy as np

    assert SupportPattern([np.array([[1, 0], [1, 1]]), np.array([[1, 1], [0, 1]])]) == p
    assert SupportPattern.parse("110,011 10,11,01").dims == (2, 3, 2)


@pytest.mark.parametrize(
    "bad, message",
    [
        ("10,11 1,01", "rows of different lengths"),
        ("10,11 111,011,001", "do not chain"),
        ("10,12 11,01", "characters"),
        ("10,11", "at least two factors"),
        ("", "empty pattern"),
        ("10,,11 11,01", "empty row"),
    ],
)
def test_bad_pattern_text(bad, message):
    with pytest.raises(InputError, match=message):
        SupportPattern.parse(bad)


def test_bad_pattern_entries():
    with pytest.raises(InputError, match="0 or 1"):
        SupportPattern([[[2]], [[1]]])
    with pytest.raises(InputError):
        SupportPattern([[], [[1]]])


def test_families():
    assert lu(3).masks[0] == ((1, 0, 0), (1, 1, 0), (1, 1, 1))
    assert ul(2) == SupportPattern.parse("11,01 10,11")
    assert dense(2, 3, 1).dims == (2, 3, 1)
    assert diagonal(3).masks[0] == ((1, 0, 0), (0, 1, 0), (0, 0, 1))
    from semialg.sparse import butterfly, random_pattern

    b = butterfly(2)
    assert b.dims == (4, 4, 4) and sum(map(sum, b.masks[0])) == 8
    assert random_pattern((2, 2, 2), seed=3) == random_pattern((2, 2, 2), seed=3)


def test_rank_one_supports():
    sup = lu(2).rank_one_supports()
    assert sup == [(frozenset({0, 1}), frozenset({0, 1})), (frozenset({1}), frozenset({1}))]
    assert SupportPattern.from_rank_one_supports(sup, 2, 2) == lu(2)


def test_canonical_form_is_invariant():
    rng = random.Random(5)
    for _ in range(20):
        p = SupportPattern(
            [[[rng.randint(0, 1) for _ in range(3)] for _ in range(3)] for _ in range(2)]
        )
        c = p.canonical()
        q = p.permute(rows=[2, 0, 1], cols=[1, 2, 0], hidden=[[0, 2, 1]]).transpose()
        assert q.canonical() == c
    assert lu(3).canonical() == ul(3).canonical()


# -- reductions -----------------------------------------------------------------------------
def test_reduction_of_lu():
    red = reduce_pattern(lu(2))
    assert red.free == {(1, 1)}
    (g,) = red.groups
    assert len(g.terms) == 1 and g.entries == {(0, 0), (0, 1), (1, 0)}
    assert [s["rule"] for s in red.steps] == ["subspace"]


def test_reduction_of_dense_rank_deficient():
    red = reduce_pattern(dense(3, 2, 3))
    assert not red.free
    (g,) = red.groups
    assert g.terms[0].rank == 2 and g.is_single_complete()


# -- known answers ----------------------------------------------------------------------------
@pytest.mark.parametrize("n", [2, 3, 4])
@pytest.mark.parametrize("family", [lu, ul])
def test_lu_ul_not_closed(n, family):
    res = decided(family(n))
    assert res.verdict == "not_closed"
    check_limit_numerically(res.certificate)


def test_lu_2x2_certificate_is_the_anti_identity():
    res = decided(lu(2))
    assert res.certificate["limit"] == [["0", "1"], ["1", "0"]]


@pytest.mark.parametrize("dims", [(3, 1, 3), (3, 2, 3), (3, 3, 3), (2, 1, 2), (2, 3, 2), (4, 2, 3)])
def test_dense_closed(dims):
    assert decided(dense(*dims)).verdict == "closed"


@pytest.mark.parametrize(
    "text",
    ["1,1,1 1", "11,10,01 1,1", "111 111,010,101", "101 11,01,10"],
)
def test_one_row_or_column_closed(text):
    p = SupportPattern.parse(text)
    assert 1 in p.shape
    assert decided(p).verdict == "closed"


def test_disjoint_rectangles_closed():
    p = SupportPattern.from_rank_one_supports(
        [({0, 1}, {0, 1}), ({2, 3}, {2, 3}), ({0, 1}, {2, 3})], 4, 4
    )
    res = decided(p)
    assert res.verdict == "closed"
    assert len(res.certificate["groups"]) == 3


def test_diagonal_closed():
    assert decided(diagonal(3)).verdict == "closed"


def test_two_overlapping_rectangles_not_closed():
    # columns 0,1 and 0,2 on the same two rows: [[1,1,0],[1,1,0]] + ... (docs/sparse.md)
    p = SupportPattern.from_rank_one_supports([({0, 1}, {0, 1}), ({0, 1}, {0, 2})], 2, 3)
    res = decided(p)
    assert res.verdict == "not_closed" and res.method == "cancellation-curve"


def test_nested_chain_closed_and_agrees_with_the_exact_decision():
    # rank one on 2x2 plus rank one on 2x3 containing it (shared rows, nested columns)
    p = SupportPattern.from_rank_one_supports([({0, 1}, {0, 1}), ({0, 1}, {0, 1, 2})], 2, 3)
    res = decided(p)
    assert res.verdict == "closed" and "nested-chain" in res.method
    assert p.image().is_closed(budget=120) is True
    # rows {0, 1} inside {0, 1, 2}, shared columns: the rank <= 2 variety
    q = SupportPattern.from_rank_one_supports([({0, 1}, {0, 1, 2}), ({0, 1, 2}, {0, 1, 2})], 3, 3)
    assert decided(q).verdict == "closed"
    bad = copy.deepcopy(closedness(q).certificate)
    bad["groups"][0]["terms"][0]["cols"] = [0, 1]
    assert not check_certificate(bad).ok


def test_crossing_terms_closed():
    p = SupportPattern.from_rank_one_supports([({0, 1}, {0, 1, 2}), ({0, 1, 2}, {0, 1})], 3, 3)
    res = decided(p)
    assert res.verdict == "closed" and "crossing" in res.method
    # a member of the described set: rank 2, zero corner, so it must be a product
    assert p.contains([[1, 0, 1], [0, 1, 1], [1, -1, 0]], budget=120) is True
    assert p.contains([[1, 0, 1], [0, 1, 1], [1, 1, 0]], budget=120) is False  # rank 3
    bad = copy.deepcopy(res.certificate)
    bad["groups"][0]["terms"][0]["rows"] = [0, 1, 2]
    assert not check_certificate(bad).ok


def test_corank_one_fill_closed():
    # rank <= 2 on 3x3 plus rank one on the 2x2 corner: every 3x3 matrix is a product
    p = SupportPattern.from_rank_one_supports(
        [({0, 1}, {0, 1}), ({0, 1, 2}, {0, 1, 2}), ({0, 1, 2}, {0, 1, 2})], 3, 3
    )
    res = decided(p)
    assert res.verdict == "closed" and "corank-one-fill" in res.method
    assert p.contains([[1, 0, 0], [0, 1, 0], [0, 0, 1]], budget=120) is True
    bad = copy.deepcopy(res.certificate)
    bad["groups"][0]["terms"] = [t for t in bad["groups"][0]["terms"] if len(t["hidden"]) == 2]
    assert not check_certificate(bad).ok


def test_surjective_group_closed_by_a_full_matching():
    # three rank-one terms on two rows (columns 01, 02, 12): every 2x3 matrix is a product
    p = SupportPattern.from_rank_one_supports(
        [({0, 1}, {0, 1}), ({0, 1}, {0, 2}), ({0, 1}, {1, 2})], 2, 3
    )
    res = decided(p, budget=120)
    assert res.verdict == "closed" and "full-matching" in res.method
    red = reduce_pattern(p)
    ans, _ = decide_group_closed(red.groups[0], 120)  # the exact decision agrees
    assert ans is True


def test_full_matching_settles_a_cyclic_final_layer():
    # X: a 3-cycle support (110, 101, 011), Y dense; the exact decision does not finish in 60 s
    p = SupportPattern.parse("110,101,011 111,111,111")
    res = decided(p, budget=30)
    assert res.verdict == "closed" and "full-matching" in res.method
    assert p.contains([[1, 2, 3], [0, 0, 0], [4, 5, 7]], budget=60) is True
    bad = copy.deepcopy(res.certificate)
    bad["groups"][0]["terms"][0]["cols"] = [0, 1]  # no longer one shared column set
    assert not check_certificate(bad).ok
    # Hall's condition fails: three rows, two units (the valley pattern of docs/landscape.md)
    assert decided(SupportPattern.parse("10,11,01 11,11")).verdict == "not_closed"


def test_dimension_count_fills_a_wide_block():
    # rows {0, 1} shared; supports {0,1,2}, {0,1,2} on the columns plus {0,1} x {0,1}: d = 2
    p = SupportPattern.from_rank_one_supports(
        [({0, 1}, {0, 1}), ({0, 1, 2}, {0, 1, 2}), ({0, 1}, {0, 1, 2})], 3, 3
    )
    red = reduce_pattern(p)
    sub = [t for g in red.groups for t in g.terms if len(t.rows) == 2]
    from semialg.sparse.closedness import dimension_count

    assert dimension_count(sub) == frozenset((i, j) for i in (0, 1) for j in (0, 1, 2))
    # supports {0,1} and {1,2} on three columns do not reach the plane span(e1, e0 + e2)
    t01, t12 = (
        type(sub[0])(frozenset({0, 1}), frozenset(c), (k,)) for k, c in ((0, {0, 1}), (1, {1, 2}))
    )
    assert dimension_count([t01, t12]) is None


def test_surjective_subset_settles_a_census_unknown():
    p = SupportPattern.parse("111,110,001 110,111,101")
    res = decided(p, budget=60)
    assert res.verdict == "closed" and "surjective-subset" in res.method
    info = res.certificate["groups"][0]["closed_by"]
    assert info["subset_rule"] == "dimension-count" and len(info["subset"]) == 2
    bad = copy.deepcopy(res.certificate)
    bad["groups"][0]["closed_by"]["subset"] = [0, 2]
    assert not check_certificate(bad).ok
    bad = copy.deepcopy(res.certificate)
    sub = bad["groups"][0]["closed_by"]["sub_certificate"]
    sub["pattern"] = sub["pattern"].replace("1", "0", 1)
    assert not check_certificate(bad).ok
    bad = copy.deepcopy(res.certificate)
    bad["groups"][0]["closed_by"]["sub_certificate"]["verdict"] = "not_closed"
    assert not check_certificate(bad).ok


# -- rules against the exact decision ------------------------------------------------------------
@pytest.mark.parametrize("p", canonical_patterns(2, 2, 2), ids=str)
def test_every_2x2x2_class_agrees_with_the_exact_decision(p):
    res = closedness(p)
    exact = p.image().is_closed(budget=60)
    assert exact in (True, False)
    assert res.verdict == ("closed" if exact else "not_closed")
    assert res.seconds < 5


@settings(max_examples=15, deadline=None)
@given(support_patterns(max_dims=(2, 2, 3), families=False))
def test_random_patterns_agree_with_the_exact_decision(p):
    res = closedness(p, budget=60)
    exact = p.image().is_closed(budget=60)
    if exact in (True, False) and res.verdict != "unknown":
        assert res.verdict == ("closed" if exact else "not_closed")


# -- certificates and the checker ----------------------------------------------------------------
def test_tampered_limit_rejected():
    cert = closedness(lu(2)).certificate
    bad = copy.deepcopy(cert)
    bad["limit"][0][0] = "1"
    assert not check_certificate(bad).ok


def test_mask_violation_rejected():
    cert = closedness(lu(2)).certificate
    bad = copy.deepcopy(cert)
    bad["factors"][0][0][1] = {"0": "1"}  # X[0][1] is outside the lower-triangular mask
    report = check_certificate(bad)
    assert not report.ok and any("outside its mask" in f for f in report.failures)


def test_wrong_groebner_claim_rejected():
    # replace the limit and the factors by a product that is a member: the curve is constant
    cert = closedness(lu(2)).certificate
    bad = copy.deepcopy(cert)
    bad["factors"] = [
        [[{"0": "1"}, {}], [{"0": "1"}, {"0": "1"}]],
        [[{"0": "1"}, {"0": "1"}], [{}, {"0": "1"}]],
    ]
    bad["limit"] = [["1", "1"], ["1", "2"]]
    report = check_certificate(bad)
    assert not report.ok and any("Groebner" in f for f in report.failures)


def test_negative_power_rejected():
    cert = closedness(lu(2)).certificate
    bad = copy.deepcopy(cert)
    bad["factors"][1][1][1] = {"-1": "-2"}
    assert not check_certificate(bad).ok


def test_tampered_closed_certificate_rejected():
    cert = closedness(dense(3, 2, 3)).certificate
    bad = copy.deepcopy(cert)
    bad["pattern"] = str(lu(3))
    assert not check_certificate(bad).ok
    bad = copy.deepcopy(cert)
    bad["groups"][0]["closed_by"]["rule"] = "wishful-thinking"
    assert not check_certificate(bad).ok
    bad = copy.deepcopy(closedness(lu(2)).certificate)
    bad["verdict"] = "closed"
    bad["reductions"] = {"free": [], "steps": []}
    bad["groups"] = []
    assert not check_certificate(bad).ok


def test_group_exact_decision_certificate():
    """A not-closed verdict by the exact decision of a residual group (no curve) is re-decided."""
    red = reduce_pattern(lu(2))
    (g,) = red.groups
    cert = {
        "format": "semialg-closedness/1",
        "pattern": "10,11 11,01",
        "verdict": "not_closed",
        "group": g.to_json(),
        "exact_decision": {"image": "a1_0 = 0 \\/ a0_1 = 0 \\/ a0_0 /= 0"},
    }
    assert check_certificate(cert).ok
    closed_group = reduce_pattern(dense(2, 1, 2)).groups[0]
    bad = dict(cert, pattern="1,1 11", group=closed_group.to_json())  # rank one 2x2: closed
    assert not check_certificate(bad).ok


def test_checker_rejects_garbage():
    with pytest.raises(InputError):
        check_certificate({"pattern": "12,3", "verdict": "closed"})
    with pytest.raises(InputError):
        check_certificate([1, 2])


# -- property tests against numeric sampling ----------------------------------------------
@settings(max_examples=20, deadline=None)
@given(support_patterns(max_dims=(3, 2, 3)), st.integers(0, 10**6))
def test_products_of_random_factors_are_members(p, seed):
    a = sample_product(p, random.Random(seed))
    assert p.contains(a, budget=60) is True


@settings(max_examples=15, deadline=None)
@given(support_patterns(max_dims=(3, 2, 3)), st.integers(0, 10**6))
def test_members_stay_members_under_symmetries(p, seed):
    rng = random.Random(seed)
    factors = random_factors(p, rng)
    m, n = p.shape
    pr = list(range(m))
    pc = list(range(n))
    rng.shuffle(pr)
    rng.shuffle(pc)
    q = p.permute(rows=pr, cols=pc)
    from semialg.testing.products import multiply

    a = multiply(factors)
    b = [[Fraction(0)] * n for _ in range(m)]
    for i, j in itertools.product(range(m), range(n)):
        b[pr[i]][pc[j]] = a[i][j]
    assert q.contains(b, budget=60) is True
    t = p.transpose()
    assert t.contains([list(r) for r in zip(*a, strict=True)], budget=60) is True


@settings(max_examples=25, deadline=None)
@given(support_patterns(max_dims=(3, 3, 3)), st.integers(0, 10**6))
def test_verdicts_invariant_under_symmetries(p, seed):
    rng = random.Random(seed)
    m, r, n = p.dims
    perms = [rng.sample(range(k), k) for k in (m, r, n)]
    q = p.permute(rows=perms[0], cols=perms[2], hidden=[perms[1]])
    if rng.random() < 0.5:
        q = q.transpose()
    a, b = closedness(p, budget=20), closedness(q, budget=20)
    if "unknown" not in (a.verdict, b.verdict):
        assert a.verdict == b.verdict


@settings(max_examples=15, deadline=None)
@given(support_patterns(max_dims=(3, 3, 3)))
def test_not_closed_certificates_checked_and_converge(p):
    res = closedness(p, budget=20)
    if res.verdict == "not_closed" and "factors" in res.certificate:
        assert check_certificate(res.certificate).ok
        check_limit_numerically(res.certificate)
        # z3 cross-check of the non-membership claim (None: z3 gave up, no information)
        limit = [[Fraction(v) for v in row] for row in res.certificate["limit"]]
        assert z3_member(p, limit, timeout=10) in (False, None)


@pytest.mark.oracle
@pytest.mark.parametrize("p", [lu(2), ul(2), lu(3), ul(3), lu(4)], ids=str)
def test_non_membership_agrees_with_z3(p):
    cert = closedness(p).certificate
    limit = [[Fraction(v) for v in row] for row in cert["limit"]]
    assert z3_member(p, limit) in (False, None)
    assert z3_member(p, limit) is False or p.dims[0] >= 4


# -- census and deep products ---------------------------------------------------------------------
def test_census_2x2x2_has_no_unknown():
    from semialg.sparse import run_census

    table = run_census((2, 2, 2), budget=30, processes=1)
    total = sum(s["patterns"] for s in table["shapes"])
    assert total == sum(len(canonical_patterns(*s)) for s in shapes(2, 2, 2))
    assert all(s["unknown"] == 0 and s["pending"] == 0 for s in table["shapes"])
    not_closed = [r["pattern"] for r in table["patterns"] if r["verdict"] == "not_closed"]
    assert len(not_closed) == 1 and SupportPattern.parse(not_closed[0]).is_equivalent(lu(2))


def test_census_resumes(tmp_path):
    from semialg.sparse import run_census

    table = run_census((1, 2, 2), budget=30, processes=1)
    seen = []
    again = run_census(
        (1, 2, 2), budget=30, processes=1, resume=table, progress=lambda d, t: seen.append((d, t))
    )
    assert seen[0][0] == seen[0][1]  # everything was already decided
    assert again["patterns"] == table["patterns"]


def test_deep_product_monomial_absorption():
    res = closedness(diagonal(2, factors=3), budget=60)
    assert res.verdict == "closed" and res.method.startswith("monomial-absorption")
    assert check_certificate(res.certificate).ok
    # L D U with D diagonal has the image of L U: not closed, certificate with three factors
    p = SupportPattern.parse("10,11 10,01 11,01")
    res = decided(p)
    assert res.verdict == "not_closed" and len(res.certificate["factors"]) == 3
    check_limit_numerically(res.certificate)
    bad = copy.deepcopy(res.certificate)
    bad["factors"][1][0][1] = {"0": "1"}  # off the diagonal mask
    assert not check_certificate(bad).ok


def test_deep_product_embedded_curve():
    p = SupportPattern.parse("10,11 11,01 11,01")  # L U U: the image of L U
    res = decided(p)
    assert res.verdict == "not_closed" and res.method == "embedded-curve"
    check_limit_numerically(res.certificate)


def test_deep_product_exact_decision():
    p = SupportPattern.parse("11,01 10,11 11,01")  # U L U covers every 2x2 matrix
    res = decided(p)
    assert res.verdict == "closed" and res.method == "exact-decision"
