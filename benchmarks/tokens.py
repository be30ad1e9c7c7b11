"""Token counting benchmark: llmaestro.tokens.count vs raw tiktoken (and litellm).

Run with ``python benchmarks/tokens.py``. Prints, as ratios (>1 means llmaestro is faster):

* counting a 100 KB and a 1 MB mixed text/code corpus (built deterministically from files
  of the installed Python standard library plus multilingual prose and emoji) with
  ``count_tokens(text, "gpt-4o")`` vs ``len(tiktoken_encoding.encode_ordinary(text))``
  (goal: ≥ 0.95×, counts identical), and vs ``litellm.token_counter`` when installed;
* first-use latency (fresh process: import + first count) of llmaestro's shipped o200k_base
  vs tiktoken's own ``get_encoding("o200k_base")`` loading from its cache (goal: no worse).

No network is used: tiktoken's cache is a temporary directory pre-seeded with the shipped
rank files under tiktoken's cache key (sha1 of the download URL).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from llmaestro.tokens import encodings  # noqa: E402
from llmaestro.tokens.count import count_tokens  # noqa: E402

STDLIB_FILES = (
    "textwrap.py",
    "json/decoder.py",
    "json/encoder.py",
    "argparse.py",
    "dataclasses.py",
    "functools.py",
    "enum.py",
    "difflib.py",
    "pathlib.py",
    "typing.py",
    "inspect.py",
    "collections/__init__.py",
    "email/message.py",
    "http/client.py",
    "logging/__init__.py",
)

PROSE = (
    "Token counting should be exact where the tokenizer is public, and honest where it is "
    "not. The quick brown fox jumps over the lazy dog; 1234567890 times, give or take.\n\n",
    "Les modèles de langage découpent le texte en jetons : « élève », « naïveté », "
    "« cœur » et « Noël » n'ont pas le même coût que leurs équivalents anglais.\n\n",
    "Größere Modelle verarbeiten Umlaute wie ä, ö, ü und das ß oft in mehreren Tokens; "
    "Donaudampfschifffahrtsgesellschaftskapitän ist ein gutes Beispiel.\n\n",
    "Языковые модели считают токены по-разному: кириллица обычно дороже латиницы.\n\n",
    "大型语言模型把文本切分成词元。中文、日本語のテキスト、"
    "한국어 문장은 각각 다르게 계산된다。\n\n",
    "النماذج اللغوية الكبيرة تقسم النص إلى رموز، واللغة العربية تُكتب من اليمين إلى اليسار.\n\n",
    "बड़े भाषा मॉडल पाठ को टोकन में बाँटते हैं। 🚀🔥👩‍💻🇫🇷 <|endoftext|> emoji & specials.\n\n",
)


def corpus(size: int) -> str:
    """A deterministic mixed code/prose text of ``size`` UTF-8 bytes."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    sources = [stdlib / name for name in STDLIB_FILES if (stdlib / name).is_file()]
    texts = [path.read_text(encoding="utf-8") for path in sources] or ["def f():\n    pass\n"]
    parts: list[str] = []
    total = 0
    i = 0
    while total < size:
        for chunk in (texts[i % len(texts)], PROSE[i % len(PROSE)] * 3):
            parts.append(chunk)
            total += len(chunk.encode("utf-8"))
        i += 1
    data = "".join(parts).encode("utf-8")[:size]
    return data.decode("utf-8", "ignore")


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Fastest of ``repeat`` runs and the last result."""
    times: list[float] = []
    result: Any = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def interleaved(
    a: Callable[[], Any], b: Callable[[], Any], repeat: int
) -> tuple[float, Any, float, Any]:
    """Best times of ``a`` and ``b`` measured alternately (fairer under noise)."""
    ta: list[float] = []
    tb: list[float] = []
    ra: Any = None
    rb: Any = None
    for _ in range(repeat):
        t, ra = best(a, 1)
        ta.append(t)
        t, rb = best(b, 1)
        tb.append(t)
    return min(ta), ra, min(tb), rb


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def seeded_tiktoken_cache(directory: Path) -> None:
    for name, definition in encodings.ENCODINGS.items():
        key = hashlib.sha1(definition.url.encode()).hexdigest()
        shutil.copyfile(encodings.rank_file(name), directory / key)


def no_network() -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise OSError("the benchmark must not use the network")

    socket.socket.connect = refuse  # type: ignore[method-assign]
    socket.create_connection = refuse


FIRST_USE_OURS = """
import time
t = time.perf_counter()
from llmaestro.tokens.count import count_tokens
count_tokens("hello world", "o200k_base")  # the encoding alone, as tiktoken below
print(time.perf_counter() - t)
"""

FIRST_USE_TIKTOKEN = """
import time
t = time.perf_counter()
import tiktoken
len(tiktoken.get_encoding("o200k_base").encode_ordinary("hello world"))
print(time.perf_counter() - t)
"""


def first_use(code: str, env: dict[str, str]) -> float:
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip())


def main() -> int:
    no_network()
    failures = 0
    with tempfile.TemporaryDirectory(prefix="tiktoken-cache-") as cache:
        seeded_tiktoken_cache(Path(cache))
        os.environ["TIKTOKEN_CACHE_DIR"] = cache
        import tiktoken

        reference = tiktoken.get_encoding("o200k_base")
        count_tokens("warm up", "gpt-4o")

        print(f"python {sys.version.split()[0]}, tiktoken {tiktoken.__version__}")
        print("== counting throughput (ratio = tiktoken time / llmaestro time; goal >= 0.95)")
        corpora = {"100 KB": corpus(100_000), "1 MB": corpus(1_000_000)}
        for label, text in corpora.items():
            repeat = 31 if len(text) < 500_000 else 11
            ours_t, ours_n, raw_t, raw_n = interleaved(
                lambda text=text: count_tokens(text, "gpt-4o").value,  # type: ignore[misc]
                lambda text=text: len(reference.encode_ordinary(text)),  # type: ignore[misc]
                repeat,
            )
            ratio = raw_t / ours_t
            same = ours_n == raw_n
            ok = ratio >= 0.95 and same
            failures += not ok
            digest = hashlib.sha256(text.encode()).hexdigest()[:12]
            print(
                f"{label:>6} corpus (sha256 {digest}, {ours_n} tokens): "
                f"llmaestro {ours_t * 1e3:7.2f} ms, tiktoken {raw_t * 1e3:7.2f} ms, "
                f"ratio {ratio:.3f}x, counts {'identical' if same else f'DIFFER ({raw_n})'} "
                f"-> {verdict(ok)}"
            )

        try:
            os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
            import litellm  # type: ignore[import-not-found,unused-ignore]
        except ImportError:
            print("litellm not installed (pip install -e .[bench])")
        else:
            print("== vs litellm.token_counter (ratio = litellm time / llmaestro time)")
            for label, text in corpora.items():
                repeat = 5 if len(text) < 500_000 else 2
                ours_t, ours_n, lite_t, lite_n = interleaved(
                    lambda text=text: count_tokens(text, "gpt-4o").value,  # type: ignore[misc]
                    lambda text=text: litellm.token_counter(model="gpt-4o", text=text),  # type: ignore[misc]
                    repeat,
                )
                ratio = lite_t / ours_t
                ok = ratio >= 0.95
                failures += not ok
                print(
                    f"{label:>6} corpus: llmaestro {ours_t * 1e3:7.2f} ms, litellm "
                    f"{lite_t * 1e3:7.2f} ms, ratio {ratio:.3f}x, counts "
                    f"{'identical' if ours_n == lite_n else f'differ ({lite_n})'} "
                    f"-> {verdict(ok)}"
                )

        print("== first use of o200k_base, fresh process, median of 7 (goal: ratio >= 1.0)")
        env = dict(os.environ, PYTHONPATH=str(REPO), TIKTOKEN_CACHE_DIR=cache)
        ours_runs: list[float] = []
        tik_runs: list[float] = []
        for _ in range(7):
            ours_runs.append(first_use(FIRST_USE_OURS, env))
            tik_runs.append(first_use(FIRST_USE_TIKTOKEN, env))
        ours_med, tik_med = statistics.median(ours_runs), statistics.median(tik_runs)
        ratio = tik_med / ours_med
        ok = ratio >= 1.0
        failures += not ok
        print(
            f"llmaestro (import + verify + parse + build) {ours_med * 1e3:7.1f} ms, "
            f"tiktoken get_encoding from cache {tik_med * 1e3:7.1f} ms, "
            f"ratio {ratio:.2f}x -> {verdict(ok)}"
        )
    print("ALL PASS" if not failures else f"{failures} goal(s) FAILED")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
