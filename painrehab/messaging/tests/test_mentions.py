import pytest

from painrehab.messaging.mentions import mentioned_usernames


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("@pt can you check her gait?", ["pt"]),
        ("Ask @pt2.", ["pt2"]),
        ("@ot, @psychologist: family meeting", ["ot", "psychologist"]),
        ("@PT and @pt again", ["PT"]),
        ("mail robin@example.org about it", []),
        ("a lone @ sign", []),
        ("(@nurse.night-shift)", ["nurse.night-shift"]),
    ],
    ids=[
        "start_case",
        "sentence_end_case",
        "two_case",
        "once_case",
        "email_case",
        "bare_at_case",
        "dotted_case",
    ],
)
def test_finds_each_mentioned_username_once(body: str, expected: list[str]) -> None:
    assert mentioned_usernames(body) == expected
