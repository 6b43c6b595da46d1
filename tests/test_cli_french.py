"""The `fiches` command speaks French to the last line: help and every argparse error."""

from __future__ import annotations

import pytest

from fiches_kb.cli import main

ENGLISH = ("usage", "the following", "unrecognized", "invalid choice", "expected one", "ambiguous", "error:")


def run(capsys, *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out + captured.err


@pytest.mark.parametrize("args", [["--help"], ["check", "--help"], ["nouvelle", "--help"]])
def test_help_is_french_with_one_usage_line(capsys, args):
    code, text = run(capsys, *args)
    assert code == 0
    first = text.splitlines()[0]
    assert first.startswith("Utilisation : fiches") and first.count("Utilisation") == 1
    assert "options" in text and "afficher cette aide et quitter" in text
    assert not any(word in text.lower() for word in ENGLISH)


@pytest.mark.parametrize(
    "args, french",
    [
        ([], "arguments obligatoires manquants : COMMANDE"),
        (["nouvelle"], "arguments obligatoires manquants : type, titre"),
        (["check", "--inconnu"], "arguments inconnus : --inconnu"),
        (["truc"], "« COMMANDE » : 'truc' n'existe pas (possibles : 'check', 'bilan', 'formulaires', 'liens', 'nouvelle')"),
    ],
)
def test_argparse_errors_are_french(capsys, args, french):
    code, text = run(capsys, *args)
    assert code == 2
    assert f"fiches : commande mal formée ({french}). Voir « fiches --help »." in text
    assert text.count("Utilisation") == 1
    assert not any(word in text.lower() for word in ENGLISH)
