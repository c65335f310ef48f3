"""The core never imports Textual (checked in a fresh interpreter per module)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import policysearch

CORE = sorted(m.name.removeprefix("policysearch.")
              for m in pkgutil.walk_packages(policysearch.__path__, "policysearch.")
              if not m.name.startswith("policysearch.tui"))


def test_core_modules_exist():
    assert {"text.normalise", "text.markers", "text.lexicon", "ingest.readers", "ingest.clean", "ingest.structure",
            "ingest.metadata", "ingest.pipeline", "search.query", "search.searcher", "compare.changes",
            "cite.citations", "service", "cli"} <= set(CORE)


def test_no_core_module_imports_textual():
    code = (
        "import importlib, sys\n"
        f"for name in {CORE!r}:\n"
        "    importlib.import_module('policysearch.' + name)\n"
        "    assert 'textual' not in sys.modules, name\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_listing_documents_does_not_load_jieba_or_textual(seed_index):
    code = (
        "import sys\n"
        "from policysearch.cli import main\n"
        "try:\n"
        f"    main(['--corpus', {str(seed_index.corpus)!r}, '--index', {str(seed_index.index)!r}, 'docs', '--json'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('textual' in sys.modules, 'jieba' in sys.modules, file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.stderr.strip().splitlines()[-1] == "False False"


def test_modules_left_out_of_a_search_are_there_when_used():
    """The modules a search process leaves out (policysearch/lazyimport.py) are imported for real when used: by
    jieba for characters its dictionary does not know, by anyone importing them afterwards."""
    code = (
        "import sys\n"
        "from policysearch.store.sqlite.words import import_for_queries\n"
        "from policysearch.text.segment import import_jieba\n"
        "import_for_queries(); jieba = import_jieba()\n"
        "left_out = [m for m in ('urllib.request', 'asyncio', 'whoosh.lang.morph_en', 'jieba.finalseg',\n"
        "                        'cached_property') if m in sys.modules]\n"
        "words = jieba.Tokenizer().lcut('乔碧萝和李雪琴在中关村')\n"
        "import asyncio, urllib.request, cached_property\n"
        "from whoosh.lang.morph_en import variations\n"
        "print(left_out, 'jieba.finalseg' in sys.modules, words[0], asyncio.run(asyncio.sleep(0, 'ran')),\n"
        "      urllib.request.Request('http://example.org').host, cached_property.__version__ > '',\n"
        "      'render' in variations('rendering'))\n"
    )
    assert _printed(code) == ["[]", "True", "乔碧萝", "ran", "example.org", "True", "True"]


def test_a_module_used_while_it_is_stood_in_for_is_the_real_one():
    code = (
        "import sys\n"
        "from policysearch.lazyimport import deferring\n"
        "assert 'urllib.request' not in sys.modules\n"
        "with deferring('urllib.request'):\n"
        "    from urllib.request import Request\n"
        "    r = Request('http://example.org/x')\n"
        "print(type(r).__module__, r.host, type(sys.modules['urllib.request']).__name__)\n"
    )
    assert _printed(code) == ["urllib.request", "example.org", "module"]


def _printed(code: str) -> list[str]:
    """What a fresh interpreter running ``code`` prints, word by word (it must succeed)."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.split()
