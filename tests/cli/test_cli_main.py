from pathlib import Path

import pytest

from ariel.cli.main import main


def test_version_names_the_reference(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["version"]) == 0
    assert "22.10.1" in capsys.readouterr().out


def test_check_config_accepts_a_good_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "http.conf").write_text("[general]\nenabled = yes\nbindport = 8088\n")
    assert main(["check-config", "-C", str(tmp_path)]) == 0
    assert "configuration OK" in capsys.readouterr().out


def test_check_config_reports_file_and_line_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "http.conf").write_text("[general]\nenabled = yes\nbindport = lots\n")
    assert main(["check-config", "-C", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "http.conf:3: " in err


def test_unknown_option_is_a_warning_not_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "ari.conf").write_text("[general]\nenabled = yes\nfrobnicate = 1\n")
    assert main(["check-config", "-C", str(tmp_path)]) == 0
    assert "ari.conf:3: " in capsys.readouterr().out


def test_run_refuses_a_config_with_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pjsip.conf").write_text("[x]\ntype = nonsense\n")
    assert main(["run", "-C", str(tmp_path)]) == 1
    assert "pjsip.conf:" in capsys.readouterr().err


def test_missing_directory_is_a_usage_error(tmp_path: Path) -> None:
    assert main(["check-config", "-C", str(tmp_path / "absent")]) == 2
