"""The Whoosh analyzer for the words field.

jieba runs before Whoosh (in worker processes, on the normalised text); the field receives the words
joined by spaces, and this analyzer only splits them, with positions counted in words.  jieba's own
ChineseAnalyzer is not used: it sets positions to character offsets and stems Latin words.
"""

from __future__ import annotations

from whoosh.analysis import Token, Tokenizer


class WordsAnalyzer(Tokenizer):
    def __eq__(self, other: object) -> bool:
        return isinstance(other, WordsAnalyzer)

    def __hash__(self) -> int:
        return hash(WordsAnalyzer)

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs: object):  # noqa: ANN204 - generator of whoosh Tokens
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for i, w in enumerate(value.split(" ")):
            if not w:
                continue
            t.original = t.text = w
            t.boost = 1.0
            t.stopped = False
            if positions:
                t.pos = start_pos + i
            yield t
