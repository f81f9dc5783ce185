"""The rebuild commands' progress bar: on a terminal it shows its steps; elsewhere nothing."""

from relaydesk.org.progress import progress_bar


def test_on_a_terminal_the_bar_shows_its_label_and_steps(monkeypatch, capsys):
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # rich's word for "this is a terminal"

    with progress_bar("Cases") as told:
        told(3, 4)

    shown = capsys.readouterr().err
    assert "Cases" in shown
    assert "3/4" in shown


def test_a_script_reading_the_output_gets_no_bar(monkeypatch, capsys):
    for name in ("TTY_COMPATIBLE", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)

    with progress_bar("Cases") as told:
        told(3, 4)

    assert capsys.readouterr() == ("", "")
