import pytest

from painrehab.domain.scoring.definitions import (
    Band,
    InstrumentDefinition,
    Item,
    MissingRule,
    Respondent,
    Scale,
    ScaleMethod,
    items,
    keys,
    options,
)

ZERO_TO_FOUR = options(0, 4, "x")


def _definition(**overrides: object) -> InstrumentDefinition:
    fields: dict[str, object] = {
        "code": "T",
        "version": "1",
        "name": "Test",
        "respondent": Respondent.CHILD,
        "age_min": None,
        "age_max": None,
        "items": items(3, ZERO_TO_FOUR),
        "scales": (Scale("total", "Total", keys(1, 2, 3)),),
        "total_scale_key": "total",
        "higher_is_worse": True,
        "meaningful_change": None,
        "meaningful_change_source": "none",
        "loinc": None,
        "citation": "test",
    }
    fields.update(overrides)
    return InstrumentDefinition(**fields)  # type: ignore[arg-type]


def test_a_valid_definition_builds() -> None:
    assert _definition().bounds("total") == (0.0, 12.0)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        pytest.param(
            {"items": (Item("1", ZERO_TO_FOUR), Item("3", ZERO_TO_FOUR))},
            "item 2 is keyed '3'",
            id="gap_in_keys_case",
        ),
        pytest.param(
            {"items": (Item("2", ZERO_TO_FOUR), Item("1", ZERO_TO_FOUR))},
            "item 1 is keyed '2'",
            id="keys_out_of_order_case",
        ),
        pytest.param(
            {"scales": (Scale("total", "Total", keys(1, 4)),)},
            "unknown items",
            id="scale_unknown_item_case",
        ),
        pytest.param(
            {"total_scale_key": "sum"}, "no scale sum", id="missing_total_case"
        ),
        pytest.param(
            {
                "scales": (
                    Scale("total", "T", keys(1)),
                    Scale("total", "T", keys(2)),
                )
            },
            "defined twice",
            id="duplicate_scale_case",
        ),
        pytest.param(
            {
                "scales": (
                    Scale(
                        "total",
                        "T",
                        (),
                        method=ScaleMethod.MEAN_OF_SCALES,
                        of_scales=("a",),
                    ),
                    Scale("a", "A", keys(1), method=ScaleMethod.MEAN),
                )
            },
            "needs earlier scales",
            id="scale_of_later_scale_case",
        ),
    ],
)
def test_definition_invariants(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _definition(**overrides)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        pytest.param(
            lambda: Scale(
                "s", "S", keys(1, 2), bands=(Band(0, 4, "a"), Band(4, 8, "b"))
            ),
            "overlapping",
            id="bands_share_a_boundary_case",
        ),
        pytest.param(
            lambda: Scale(
                "s", "S", keys(1, 2), bands=(Band(5, 8, "b"), Band(0, 6, "a"))
            ),
            "overlapping",
            id="bands_overlap_out_of_order_case",
        ),
        pytest.param(lambda: Band(5, 4, "x"), "low above high", id="band_case"),
        pytest.param(
            lambda: Scale(
                "s",
                "S",
                keys(1, 2),
                method=ScaleMethod.MEAN,
                missing=MissingRule.prorate(1, "x"),
            ),
            "prorating",
            id="prorate_mean_case",
        ),
        pytest.param(
            lambda: Scale("s", "S", keys(1, 2), missing=MissingRule.prorate(2, "x")),
            "prorating",
            id="prorate_all_missing_case",
        ),
        pytest.param(
            lambda: Scale(
                "s", "S", keys(1, 2), missing=MissingRule.min_answered(1, "")
            ),
            "MIN_ANSWERED",
            id="min_answered_sum_case",
        ),
        pytest.param(
            lambda: Scale(
                "s",
                "S",
                keys(1, 2),
                method=ScaleMethod.MEAN,
                missing=MissingRule.min_answered(3, ""),
            ),
            "MIN_ANSWERED",
            id="min_answered_too_many_case",
        ),
        pytest.param(lambda: Scale("s", "S", ()), "must list items", id="empty_case"),
        pytest.param(
            lambda: Scale("s", "S", keys(1, 1)), "twice", id="repeated_item_case"
        ),
        pytest.param(
            lambda: Item("1", (ZERO_TO_FOUR[0], ZERO_TO_FOUR[0])),
            "duplicate",
            id="duplicate_option_case",
        ),
        pytest.param(lambda: Item("1", ()), "no options", id="no_options_case"),
        pytest.param(
            lambda: MissingRule.min_answered(0, ""), "at least one", id="min_0_case"
        ),
    ],
)
def test_part_invariants(build: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build()  # type: ignore[operator]


@pytest.mark.parametrize(
    ("low", "high", "value", "expected"),
    [
        pytest.param(0, 3, 0, 3, id="zero_to_three_floor_case"),
        pytest.param(0, 3, 1, 2, id="zero_to_three_middle_case"),
        pytest.param(1, 5, 1, 5, id="one_to_five_floor_case"),
        pytest.param(1, 5, 4, 2, id="one_to_five_case"),
    ],
)
def test_reverse_keying_is_max_plus_min_minus_value(
    low: int, high: int, value: int, expected: int
) -> None:
    item = Item("1", options(low, high, "x"), reverse=True)
    assert item.scored(value) == expected
    assert Item("1", options(low, high, "x")).scored(value) == value


def test_band_lookup_is_inclusive() -> None:
    scale = Scale("s", "S", keys(1), bands=(Band(0, 2, "low"), Band(3, 4, "high")))
    assert [scale.band_for(v) for v in (0, 2, 2.5, 3, 4, 5)] == [
        "low",
        "low",
        None,
        "high",
        "high",
        None,
    ]
