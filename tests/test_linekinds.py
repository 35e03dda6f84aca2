"""The kind of each log line that a terminal marks (aomlog.output.linekinds)."""

from aomlog.output.linekinds import DEBUG, ERROR, HEAD, INFO, METRIC, PROGRESS, WARNING, Classifier

TS = "2026-11-27 07:32:39,254"


def kinds(lines, classifier=None):
    return (classifier or Classifier()).kinds(lines)


def test_the_first_level_word_near_the_start_decides():
    assert kinds([f"{TS} ERROR boom", f"{TS} WARN slow", f"{TS} DEBUG hit", f"{TS} INFO ok",
                  f"{TS} FATAL gone", f"{TS} TRACE deep"]) == [ERROR, WARNING, DEBUG, INFO, ERROR, DEBUG]
    assert kinds([f"{TS} INFO the ERROR here is message text"]) == [INFO]
    assert kinds(["x" * HEAD + " ERROR"]) == [INFO]  # too far in to be the line's level
    assert kinds(["NCCL_DEBUG=INFO", "my-ERROR-handler started"]) == [INFO, INFO]  # words inside names


def test_exceptions_warnings_progress_and_metrics_without_a_level():
    assert kinds(["RuntimeError: CUDA out of memory", "foo.py:3: UserWarning: old",
                  "Epoch 1:  50%|#####     | 5/10", "step 3\rstep 4", "{'eval_loss': 0.5}",
                  "===== Epoch 2 =====", "[eval] acc=0.5", "just text"]) == [
        ERROR, WARNING, PROGRESS, PROGRESS, METRIC, METRIC, METRIC, INFO]


def test_the_service_log_says_whether_training_failed():
    assert kinds(["[ModelArts Service Log]Training end with return code: 1",
                  "[ModelArts Service Log]Training end with return code: 0"]) == [ERROR, INFO]


def test_a_traceback_is_an_error_to_its_exception_line_across_pages():
    classifier = Classifier()
    assert kinds(["ok", "Traceback (most recent call last):", '  File "train.py", line 3'], classifier) == [
        INFO, ERROR, ERROR]
    assert classifier.in_traceback  # the next page goes on with it
    assert kinds(["    main()", "KeyError: 'label'", "after"], classifier) == [ERROR, ERROR, INFO]
    assert not classifier.in_traceback


def test_each_file_has_its_own_traceback_state():
    one, other = Classifier(), Classifier()
    kinds(["Traceback (most recent call last):"], one)
    assert kinds(["  indented in another file"], other) == [INFO]
    assert kinds(["  indented in the first"], one) == [ERROR]


def test_the_pages_text_gives_the_same_kinds_as_the_lines():
    lines = [f"{TS} ERROR a", "plain", "Epoch 3 finished", f"{TS} WARNING b"]
    assert Classifier().kinds(lines, "".join(line + "\n" for line in lines)) == kinds(lines)
