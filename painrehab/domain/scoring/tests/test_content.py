import json
from pathlib import Path

import pytest

from painrehab.domain.scoring import CATALOG, get
from painrehab.domain.scoring.content import (
    DEMO_DIR,
    ContentPackError,
    demo_pack_path,
    load_content_pack,
    parse_content_pack,
)

PACKS = [
    pytest.param(code, language, id=f"{code}_{language}_case")
    for code in CATALOG
    for language in ("en", "es")
]


@pytest.mark.parametrize(("code", "language"), PACKS)
def test_every_instrument_has_a_valid_demo_pack(code: str, language: str) -> None:
    pack = load_content_pack(demo_pack_path(code, language), get(code))
    assert (pack.code, pack.language) == (code, language)
    assert set(pack.items) == set(get(code).item_keys)


@pytest.mark.parametrize(("code", "language"), PACKS)
def test_demo_packs_of_copyrighted_forms_say_demo(code: str, language: str) -> None:
    pack = load_content_pack(demo_pack_path(code, language), get(code))
    if code != "NRS":
        assert "DEMO" in pack.notice
        word = "Item" if language == "en" else "Ítem"
        for key, text in pack.items.items():
            assert text.startswith(f"{word} {key}: ")


def test_nrs_pack_has_real_wording() -> None:
    en = load_content_pack(demo_pack_path("NRS", "en"), get("NRS"))
    es = load_content_pack(demo_pack_path("NRS", "es"), get("NRS"))
    assert en.items["1"].startswith("How much pain do you have right now?")
    assert es.items["1"].startswith("¿Cuánto dolor tienes ahora mismo?")
    assert en.options["nrs.10"] == "10 – the worst pain you can imagine"


def test_demo_dir_holds_only_catalog_packs() -> None:
    names = {path.name for path in DEMO_DIR.glob("*.json")}
    assert names == {f"{c}.{lang}.json" for c in CATALOG for lang in ("en", "es")}


def _pack(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "code": "NRS",
        "version": "1.0",
        "language": "en",
        "items": {"1": "Pain now?"},
        "options": {f"nrs.{v}": str(v) for v in range(11)},
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param([], "JSON object", id="not_object_case"),
        pytest.param(_pack(language=""), "language", id="no_language_case"),
        pytest.param(_pack(code="FDI-C"), "pack is for FDI-C", id="wrong_code_case"),
        pytest.param(_pack(version="2.0"), "NRS 2.0", id="wrong_version_case"),
        pytest.param(_pack(items={}), r"\['1'\]", id="item_missing_case"),
        pytest.param(
            _pack(items={"1": "a", "2": "b"}), r"\['2'\]", id="extra_item_case"
        ),
        pytest.param(_pack(items={"1": " "}), "non-empty", id="blank_text_case"),
        pytest.param(_pack(options={"nrs.0": "0"}), "nrs.1", id="option_gap_case"),
    ],
)
def test_packs_that_do_not_fit_are_rejected(data: object, message: str) -> None:
    with pytest.raises(ContentPackError, match=message):
        parse_content_pack(data, get("NRS"))


def test_load_reads_from_disk(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps(_pack()), encoding="utf-8")
    assert load_content_pack(path, get("NRS")).items == {"1": "Pain now?"}
