#!/usr/bin/env python3
"""stem-eval.py: how well a word's first N letters stand for its forms.

For languages without a Snowball stemmer, cm_tok.c takes a word's first
six letters as its stem.  This measures that choice against Hunspell's
stems (hunspell -s) over the words of the UDHR in each language: for each
word, the share of its other forms (words with a Hunspell stem in common)
that share its first N letters (recall), and the share of the words
sharing its first N letters that are its forms (precision), averaged over
the words that have other forms (recall) or share a prefix (precision).
Snowball's stemmer is measured the same way where there is one (German,
Dutch, Russian), as a yardstick.

    python3 bench/stem-eval.py [../shared/corpus/udhr]

Needs hunspell and its dictionaries (Debian: hunspell hunspell-cs
hunspell-sk hunspell-sl hunspell-bg hunspell-lv hunspell-be myspell-et
hunspell-ru hunspell-de-de hunspell-nl hunspell-is) and libstemmer; not
part of the test suite.  Results: bench/README.md, "Stop 27" and
"Stop 28".
"""
import collections
import ctypes
import os
import re
import subprocess
import sys

LANGS = [  # code, Hunspell dictionary, UDHR file, Snowball algorithm
    ("cs", "cs_CZ", "ces", None), ("sk", "sk_SK", "slk", None),
    ("sl", "sl_SI", "slv", None), ("bg", "bg_BG", "bul", None),
    ("lv", "lv_LV", "041", None), ("be", "be_BY", "bel", None),
    ("et", "et_EE", "est", None), ("de", "de_DE", "deu_1996", "german"),
    ("nl", "nl", "nld", "dutch"), ("ru", "ru_RU", "rus", "russian"),
    ("is", "is_IS", "isl", None),
]


def snowball(algo):
    lib = ctypes.CDLL("libstemmer.so.0d")
    lib.sb_stemmer_new.restype = ctypes.c_void_p
    lib.sb_stemmer_new.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    lib.sb_stemmer_stem.restype = ctypes.POINTER(ctypes.c_ubyte)
    lib.sb_stemmer_stem.argtypes = [ctypes.c_void_p, ctypes.c_char_p,
                                    ctypes.c_int]
    lib.sb_stemmer_length.argtypes = [ctypes.c_void_p]
    st = lib.sb_stemmer_new(algo.encode(), b"UTF_8")

    def stem(w):
        b = w.encode()
        p = lib.sb_stemmer_stem(st, b, len(b))
        return bytes(p[:lib.sb_stemmer_length(st)]).decode()
    return stem


def words_of(path):
    text = re.sub(r"^#+", " ", open(path, encoding="utf-8").read(),
                  flags=re.M)
    return sorted({w.lower() for w in re.findall(r"[^\W\d_]{2,}", text)})


def hunspell_stems(dic, words):
    out = subprocess.run(["hunspell", "-i", "utf-8", "-d", dic, "-s"],
                         input="\n".join(words) + "\n", capture_output=True,
                         text=True, check=True).stdout
    stems = collections.defaultdict(set)
    for line in out.splitlines():
        p = line.split()
        if len(p) == 2:
            stems[p[0]].add(p[1].lower())
    return stems


def measure(words, stems, key):
    ws = [w for w in words if w in stems]
    groups = collections.defaultdict(list)
    for w in ws:
        groups[key(w)].append(w)
    rec, prec = [], []
    for w in ws:
        forms = {v for v in ws if v != w and stems[v] & stems[w]}
        alike = {v for v in groups[key(w)] if v != w}
        if forms:
            rec.append(len(forms & alike) / len(forms))
        if alike:
            prec.append(len(forms & alike) / len(alike))
    return (sum(prec) / len(prec) if prec else 1.0,
            sum(rec) / len(rec) if rec else 0.0, len(ws))


def main():
    udhr = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(__file__), "..", "..", "shared", "corpus", "udhr")
    print("lang  words  " + "  ".join(f"{k:>15}" for k in
                                      ("first 5", "first 6", "first 7",
                                       "Snowball")))
    for code, dic, name, algo in LANGS:
        path = os.path.join(udhr, name + ".md")
        if not os.path.exists(path) or not os.path.exists(
                f"/usr/share/hunspell/{dic}.dic"):
            print(f"{code:4}  (no UDHR text or no {dic} dictionary)")
            continue
        words = words_of(path)
        stems = hunspell_stems(dic, words)
        keys = [lambda w, n=n: w[:n] for n in (5, 6, 7)]
        if algo:
            keys.append(snowball(algo))
        cells, n = [], 0
        for k in keys:
            p, r, n = measure(words, stems, k)
            cells.append(f"R {r:.2f} P {p:.2f}")
        print(f"{code:4}  {n:5}  " + "  ".join(f"{c:>15}" for c in cells))


if __name__ == "__main__":
    main()
