"""Splink 5 (DuckDB backend) on the same files, set up as a competent user would.

* Generic transliteration: one Cyrillic→Latin table (ICAO-style, Tajik letters mapped to
  their usual Latin), lower case, letters only. No Tajik-specific knowledge: no ҷ=дж=dj
  folding beyond what the table gives, no surname-reform roots, no name-order detection
  (a one-field ``full_name`` is read as "surname given patronymic").
* Splink's own comparisons: ``NameComparison`` with term-frequency adjustments for
  surname and given name, ``NameComparison`` for the patronymic,
  ``DateOfBirthComparison`` on complete dates plus an exact birth-year comparison (so
  partial dates still count), exact sex, nationality and document number.
* Blocking: full birth date, names + year, document; model trained with the usual recipe
  (deterministic rules for λ, random sampling for u, EM for m).
* Decisions: ``match`` at match probability ≥ 0.95, ``review`` from 0.5.
"""

from __future__ import annotations

import csv
import logging
import os
import resource
import tempfile
import time
from pathlib import Path

import duckdb
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

MATCH_PROBABILITY, REVIEW_PROBABILITY = 0.95, 0.5

_TABLE = str.maketrans(
    {
        **dict(zip("абвгдезийклмнопрстуфхцчшщъыьэюяё", [
            "a", "b", "v", "g", "d", "e", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r",
            "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "iu", "ia",
            "e"], strict=True)),
        "ж": "zh", "ғ": "gh", "ӣ": "i", "қ": "q", "ӯ": "u", "ҳ": "h", "ҷ": "j",
    }
)  # fmt: skip


def _latin(text: str) -> str:
    return "".join(c for c in text.lower().translate(_TABLE) if "a" <= c <= "z")


def _prepare(path: Path, out: Path) -> None:
    """Write a Splink-ready CSV: transliterated split names, date columns."""
    with path.open(encoding="utf-8-sig", newline="") as f, out.open("w", newline="") as g:
        w = csv.writer(g)
        w.writerow(
            ("unique_id", "surname", "given_name", "patronymic", "dob", "birth_year", "sex",
             "nationality", "doc")
        )  # fmt: skip
        for row in csv.DictReader(f):
            names = [row["surname"], row["given_name"], row["patronymic"]]
            if not any(names) and row["full_name"]:
                words = row["full_name"].split()
                names = [*words, "", "", ""][:3]
            s, g_, p = (_latin(x) for x in names)
            date = row["birth_date"]
            w.writerow(
                (row["id"], s, g_, p, date if len(date) == 10 else "", date[:4], row["sex"],
                 row["nationality"], row["document_number"].upper().replace(" ", ""))
            )  # fmt: skip


def _settings(link_type: str) -> SettingsCreator:
    return SettingsCreator(
        link_type=link_type,  # type: ignore[arg-type]
        comparisons=[
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("patronymic"),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.ExactMatch("birth_year"),
            cl.ExactMatch("sex"),
            cl.ExactMatch("nationality"),
            cl.ExactMatch("doc"),
        ],
        # Transliterated names rarely agree exactly across scripts (Раҳимов "rahimov",
        # Рахимов "rakhimov"), so the date alone is a blocking rule too: that is the
        # choice a careful user makes after looking at blocking recall.
        blocking_rules_to_generate_predictions=[
            block_on("dob"),
            block_on("surname", "given_name", "birth_year"),
            block_on("doc"),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def _load(con: duckdb.DuckDBPyConnection, name: str, path: Path, tmp: Path) -> None:
    prepared = tmp / f"{name}.csv"
    _prepare(path, prepared)
    con.execute(
        f"create table {name} as select * from read_csv('{prepared}', header=true, "
        "all_varchar=true)"
    )
    for column in ("surname", "given_name", "patronymic", "dob", "sex", "nationality", "doc"):
        con.execute(f"update {name} set {column} = null where {column} = ''")


def _train(linker: Linker) -> None:
    linker.training.estimate_probability_two_random_records_match(
        [block_on("surname", "given_name", "dob")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("surname", "given_name", "birth_year")
    )


def _cpu_s() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    return me.ru_utime + me.ru_stime


def splink_screen(people: Path, entries: Path) -> dict[str, object]:
    logging.getLogger("splink").setLevel(logging.WARNING)
    cpu = _cpu_s()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        con = duckdb.connect()
        _load(con, "people", people, Path(tmp))
        _load(con, "entries", entries, Path(tmp))
        prepared = time.perf_counter()
        db = DuckDBAPI(con)
        linker = Linker(
            [db.register("people"), db.register("entries")],
            _settings("link_only"),
            log_level=logging.ERROR,
        )
        _train(linker)
        trained = time.perf_counter()
        predictions = linker.inference.predict(threshold_match_probability=REVIEW_PROBABILITY)
        rows = con.execute(
            f"select unique_id_l, unique_id_r, source_dataset_l, match_probability "
            f"from {predictions.physical_name}"
        ).fetchall()
        people_ids = {row[0] for row in con.execute("select unique_id from people").fetchall()}
    end = time.perf_counter()
    pairs = []
    for left, right, _source, probability in rows:
        person, entry = (left, right) if left in people_ids else (right, left)
        decision = "match" if probability >= MATCH_PROBABILITY else "review"
        pairs.append((person, entry, decision))
    return {
        "prepare_s": prepared - start,
        "train_s": trained - prepared,
        "predict_s": end - trained,
        "total_s": end - start,
        "cpu_s": _cpu_s() - cpu,
        "load_avg_1m": os.getloadavg()[0],
        "_pairs": pairs,
    }


def splink_dedupe(records: Path) -> dict[str, object]:
    logging.getLogger("splink").setLevel(logging.WARNING)
    cpu = _cpu_s()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        con = duckdb.connect()
        _load(con, "records", records, Path(tmp))
        db = DuckDBAPI(con)
        linker = Linker(db.register("records"), _settings("dedupe_only"), log_level=logging.ERROR)
        _train(linker)
        predictions = linker.inference.predict(threshold_match_probability=REVIEW_PROBABILITY)
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=MATCH_PROBABILITY
        )
        rows = con.execute(f"select unique_id, cluster_id from {clusters.physical_name}").fetchall()
    end = time.perf_counter()
    return {
        "total_s": end - start,
        "cpu_s": _cpu_s() - cpu,
        "load_avg_1m": os.getloadavg()[0],
        "_clusters": {str(a): str(b) for a, b in rows},
    }
