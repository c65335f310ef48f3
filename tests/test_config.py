"""Default paths: a checkout keeps its corpus/ and indexes/; an installed package uses the bundled corpus and
the user's data directory, never its own directory (site-packages)."""

from __future__ import annotations

from policysearch import config


def test_a_checkout_uses_its_own_corpus_and_indexes():
    assert config.is_checkout()
    s = config.Settings.resolve()
    assert s.corpus == (config.CHECKOUT / "corpus").resolve() and s.index == (config.CHECKOUT / "indexes").resolve()


def test_an_installed_package_keeps_its_index_in_the_user_data_directory(monkeypatch, tmp_path):
    site = tmp_path / "site-packages"
    (site / "policysearch").mkdir(parents=True)
    monkeypatch.setattr(config, "CHECKOUT", site)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv(config.ENV_INDEX, raising=False)
    monkeypatch.delenv(config.ENV_CORPUS, raising=False)
    assert not config.is_checkout()
    s = config.Settings.resolve()
    assert s.index == (tmp_path / "data" / "policysearch" / "indexes").resolve()
    assert s.corpus == config.BUNDLED_CORPUS.resolve()
    assert sorted(p.name for p in config.BUNDLED_CORPUS.iterdir()) == \
        sorted(p.name for p in (config.PACKAGE.parent / "corpus").iterdir())


def test_flags_win_over_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(config.ENV_INDEX, str(tmp_path / "env-index"))
    assert config.Settings.resolve().index == (tmp_path / "env-index").resolve()
    assert config.Settings.resolve(index=tmp_path / "flag").index == (tmp_path / "flag").resolve()
