import json
from pathlib import Path

import pytest

from painrehab.domain.scoring.norms import TTableError, load_t_table, parse_t_table

FAKE_TABLE = Path(__file__).parent / "fixtures" / "fake_t_table.json"


def test_loads_the_fake_fixture() -> None:
    table = load_t_table(FAKE_TABLE)
    assert table.code == "PROMIS-PED-PAININT-8A"
    assert "NOT FOR CLINICAL USE" in table.source
    assert len(table.rows) == 33
    row = table.lookup(0)
    assert row is not None
    assert (row.t, row.se) == (30.0, 9.99)
    assert table.lookup(33) is None


def _table(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "code": "X",
        "version": "1.0",
        "source": "fake",
        "rows": [{"raw": 0, "t": 40, "se": 5}],
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param([], "JSON object", id="not_object_case"),
        pytest.param(_table(code=""), "code, version", id="no_code_case"),
        pytest.param(_table(source=None), "code, version", id="no_source_case"),
        pytest.param(_table(rows=[]), "non-empty list", id="no_rows_case"),
        pytest.param(_table(rows=[1]), "object", id="row_not_object_case"),
        pytest.param(
            _table(rows=[{"raw": "0", "t": 1, "se": 1}]), "integer", id="raw_str_case"
        ),
        pytest.param(
            _table(rows=[{"raw": 0, "t": "1", "se": 1}]), "numeric", id="t_str_case"
        ),
        pytest.param(
            _table(rows=[{"raw": 0, "t": 1, "se": 1}, {"raw": 0, "t": 2, "se": 1}]),
            "twice",
            id="duplicate_raw_case",
        ),
    ],
)
def test_malformed_tables_are_rejected(data: object, message: str) -> None:
    with pytest.raises(TTableError, match=message):
        parse_t_table(data)


def test_load_reads_json_from_disk(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text(json.dumps(_table()), encoding="utf-8")
    assert load_t_table(path).rows[0].t == 40.0
