"""The command line: JSON shapes, DOC references, one-line errors, configuration."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from policysearch.cli import cli


def run(settings, *args, env=None):
    result = CliRunner().invoke(cli, ["--corpus", str(settings.corpus), "--index", str(settings.index), *args],
                                env=env)
    return result


def test_docs_json(seed_index):
    r = run(seed_index, "docs", "--json")
    assert r.exit_code == 0
    docs = {d["id"]: d for d in json.loads(r.output)}
    assert docs["2016-ndrc-1284"]["doc_number"] == "发改办高技〔2016〕1284号"
    assert set(docs["2013-ndrc-1772"]) >= {"id", "title", "doc_number", "issuers", "date", "programme", "batch",
                                            "script", "source", "attachment_of", "attachments"}


@pytest.mark.parametrize("ref", ["2013-ndrc-1772", "发改高技[2013]1772号", "發改高技〔2013〕1772號", "1772号",
                                 "启动第二批国家电子商务示范城市"])
def test_show_accepts_any_form_of_reference(seed_index, ref):
    r = run(seed_index, "show", ref, "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert d["id"] == "2013-ndrc-1772"
    two = next(c for c in d["clauses"] if c["path"] == "二")
    assert [c["path"] for c in two["children"]][:2] == ["二/(一)", "二/(二)"]


def test_show_ambiguous_and_unknown_are_one_line_errors(seed_index):
    r = run(seed_index, "show", "通知")
    assert r.exit_code == 2
    assert r.output.count("\n") == 1 and "matches 3 documents" in r.output
    r = run(seed_index, "show", "不存在")
    assert r.exit_code == 2 and "no document '不存在'" in r.output


def test_search_json_shape(seed_index):
    r = run(seed_index, "search", "智能物流", "--json", "--limit", "2")
    out = json.loads(r.output)
    assert out["query"] == "智能物流" and out["total"] >= 2 and len(out["hits"]) == 2
    assert set(out["hits"][0]) >= {"doc_id", "title", "doc_number", "clause", "text", "score", "snippet"}


def test_search_option_filters(seed_index):
    out = json.loads(run(seed_index, "search", "物流", "--year", "2016", "--json", "--limit", "0").output)
    assert out["total"] > 0 and all(h["doc_id"].startswith("2016") for h in out["hits"])


def test_bad_query_is_one_line(seed_index):
    r = run(seed_index, "search", '"物流')
    assert r.exit_code == 2 and r.output.strip().startswith("policysearch: unbalanced quote")
    assert "Traceback" not in r.output


def test_missing_index_is_built_first_and_env_overrides(tmp_corpus):
    env = {"POLICYSEARCH_CORPUS": str(tmp_corpus.corpus), "POLICYSEARCH_INDEX": str(tmp_corpus.index)}
    r = CliRunner().invoke(cli, ["search", "最后一公里", "--json"], env=env)
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["total"] >= 3
    assert (tmp_corpus.index / "CURRENT").exists()


def test_missing_corpus_is_one_line(tmp_path):
    r = CliRunner().invoke(cli, ["--corpus", str(tmp_path / "nope"), "--index", str(tmp_path / "ix"), "docs"])
    assert r.exit_code == 2 and "does not exist" in r.output


def test_installed_command_runs(seed_index):
    out = subprocess.run([sys.executable, "-m", "policysearch.cli", "--corpus", str(seed_index.corpus), "--index",
                          str(seed_index.index), "search", "資訊共享", "--limit", "1"],
                         capture_output=True, text=True, check=True)
    assert "clauses match" in out.stdout


def test_exclusion_is_not_taken_for_an_option(seed_index):
    r = run(seed_index, "search", "物流", "-支付", "--json", "--limit", "0")
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["total"] > 0 and all("支付" not in h["text"] and "支付" not in h["text"] for h in out["hits"])
