import pytest

from matcher.errors import FileFormatError, RecordError
from matcher.evaluation.data import Run, load_no_match, load_qrels, load_twins, read_run, write_run
from tests.conftest import write


def test_run_round_trip_keeps_order_scores_and_no_match(tmp_path):
    run = Run("sys", {"R1": ["b", "a", "c"], "R2": ["a", "b"]}, {"R1": [0.9, 0.5, 0.1], "R2": [0.3, 0.2]},
              {"R1": 2, "R2": 0})
    back = read_run(write_run(run, tmp_path / "sys.tsv"))
    assert back.rankings == run.rankings and back.n_matches == {"R1": 2, "R2": 0}
    assert back.says_no_match("R2") and not back.says_no_match("R1")
    assert back.scores["R1"] == pytest.approx([0.9, 0.5, 0.1])


def test_trec_run_files_are_read_by_rank(tmp_path):
    path = write(tmp_path, "x.run", "R1 Q0 s2 2 0.5 bm25\nR1 Q0 s1 1 0.9 bm25\n")
    run = read_run(path)
    assert run.rankings == {"R1": ["s1", "s2"]} and not run.says_no_match("R1")


def test_bad_files_name_file_row_and_field(tmp_path):
    with pytest.raises(RecordError) as err:
        read_run(write(tmp_path, "bad.tsv", "request_id\tsupplier_id\trank\tscore\nR1\ts1\tfirst\t0.3\n"))
    assert str(err.value) == "bad.tsv, row 2: field 'rank': rank must be an integer and score a number"
    with pytest.raises(RecordError) as err:
        load_qrels(write(tmp_path, "q.tsv", "request_id\tsupplier_id\tgrade\nR1\ts1\t5\n"))
    assert str(err.value) == "q.tsv, row 2: field 'grade': must be 0, 1, 2 or 3 after two ids"
    with pytest.raises(FileFormatError, match=r"^t\.tsv: header must be: request_id<TAB>twin_id$"):
        load_twins(write(tmp_path, "t.tsv", "a\tb\n"))
    with pytest.raises(FileFormatError, match=r"missing\.tsv: file not found$"):
        load_qrels(tmp_path / "missing.tsv")


def test_no_match_list_ignores_comments(tmp_path):
    assert load_no_match(write(tmp_path, "n.txt", "# header\nR17\n\nR18  # gold\n")) == {"R17", "R18"}
