"""The embedding cache: (model name, text hash) -> float32 vector."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from matcher.store.db import Database

_CHUNK = 500


class VectorRepository:
    db: Database

    def get_vectors(self, model: str, hashes: list[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for start in range(0, len(hashes), _CHUNK):
            chunk = hashes[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self.db.all(f"SELECT text_hash, vector FROM embeddings WHERE model = ? AND text_hash IN ({marks})",
                               [model, *chunk])
            out.update((h, np.frombuffer(blob, dtype=np.float32)) for h, blob in rows)
        return out

    def put_vectors(self, model: str, items: dict[str, np.ndarray]) -> None:
        with self.db.transaction():
            self.db.executemany(
                "INSERT INTO embeddings VALUES (?, ?, ?) ON CONFLICT(model, text_hash) DO UPDATE SET "
                "vector = excluded.vector",
                [(model, h, np.asarray(v, dtype=np.float32).tobytes()) for h, v in items.items()],
            )

    def count_vectors(self, model: str) -> int:
        row = self.db.one("SELECT COUNT(*) FROM embeddings WHERE model = ?", (model,))
        return int(row[0]) if row else 0
