"""Content packs: the wording of one instrument's items and options in one language.

Definitions carry no wording (instruments.md §0: item text and option labels of
copyrighted instruments may not ship without permission). A deployment that
holds permission loads its licensed wording as a content pack; the project
ships only DEMO packs under ``content/demo/`` that name each item's topic, plus
real wording for the generic 0-10 NRS.

File format (JSON)::

    {
      "code": "NRS", "version": "1.0", "language": "en",
      "items": {"1": "…"},
      "options": {"nrs.0": "…", …}
    }

``items`` must name every item of the definition and nothing else; ``options``
must give text for every option label key the definition uses.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from painrehab.domain.scoring.definitions import InstrumentDefinition

DEMO_DIR = Path(__file__).parent / "content" / "demo"


class ContentPackError(ValueError):
    """A content pack does not fit its definition or is malformed."""


@dataclass(frozen=True)
class ContentPack:
    code: str
    version: str
    language: str
    items: Mapping[str, str]
    options: Mapping[str, str]
    notice: str = ""  # e.g. the DEMO warning shown with the wording


def _texts(data: Mapping[str, object], field: str) -> dict[str, str]:
    value = data.get(field)
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip()
        for k, v in value.items()
    ):
        raise ContentPackError(f"{field} must map keys to non-empty text")
    return dict(value)


def _header(data: Mapping[str, object]) -> tuple[str, str, str]:
    fields = [data.get(name) for name in ("code", "version", "language")]
    if not all(isinstance(v, str) and v for v in fields):
        raise ContentPackError("a content pack needs code, version and language")
    code, version, language = (str(v) for v in fields)
    return code, version, language


def _check_fits(pack: ContentPack, definition: InstrumentDefinition) -> None:
    if (pack.code, pack.version) != (definition.code, definition.version):
        raise ContentPackError(
            f"pack is for {pack.code} {pack.version}, "
            f"not {definition.code} {definition.version}"
        )
    expected = set(definition.item_keys)
    if set(pack.items) != expected:
        odd = sorted(set(pack.items) ^ expected, key=lambda k: (len(k), k))
        raise ContentPackError(f"items do not match the definition: {odd}")
    labels = {o.label_key for item in definition.items for o in item.options}
    if labels - set(pack.options):
        missing = sorted(labels - set(pack.options))
        raise ContentPackError(f"no text for option labels {missing}")


def parse_content_pack(data: object, definition: InstrumentDefinition) -> ContentPack:
    """Build a pack from decoded JSON and check that it fits ``definition``."""
    if not isinstance(data, dict):
        raise ContentPackError("a content pack must be a JSON object")
    code, version, language = _header(data)
    notice = data.get("notice", "")
    pack = ContentPack(
        code,
        version,
        language,
        _texts(data, "items"),
        _texts(data, "options"),
        notice if isinstance(notice, str) else "",
    )
    _check_fits(pack, definition)
    return pack


def load_content_pack(
    path: Path | str, definition: InstrumentDefinition
) -> ContentPack:
    """Read a content pack from a JSON file and check it against ``definition``."""
    with Path(path).open(encoding="utf-8") as handle:
        return parse_content_pack(json.load(handle), definition)


def demo_pack_path(code: str, language: str) -> Path:
    """Where the shipped DEMO pack for ``code`` in ``language`` lives."""
    return DEMO_DIR / f"{code}.{language}.json"
