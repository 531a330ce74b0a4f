"""Every message the grader can give, by stable code, in English and Korean.

Checks raise a code with parameters; the text is chosen here, at the last moment, in the
language the course asked for. Results keep the code beside the text so an instructor can
count mistakes across a class.

A template's blanks are `{name}`; a blank whose name has a slash, `{이/가}`, is a Korean particle,
chosen by how the text just before it is read (autograder.hangul), so that a filled-in value gets
the particle it needs: `dense_shapes`가, (4, 10)이. A parameter may itself be a Phrase (a message
of its own, such as the context "dense_forward_matmul, X of shape (4, 10)"), rendered in the same
language.
"""

from __future__ import annotations

import os
import string
from dataclasses import dataclass, field

from course_checks.hangul import particle

LANGUAGES = ("en", "ko")
DEFAULT_LANGUAGE = os.environ.get("AUTOGRADER_LANG", "en")


@dataclass(frozen=True)
class Phrase:
    """A part of a message that is translated too: a catalog code and its parameters."""

    code: str
    params: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return render(self.code, self.params, "en")


def phrase(code: str, /, **params) -> Phrase:
    return Phrase(code, params)


MESSAGES: dict[str, dict[str, str]] = {
    # The student's code did not answer.
    "student.missing": {
        "en": "`{name}` is not defined: did its cell run without errors?",
        "ko": "`{name}`{이/가} 정의되어 있지 않습니다. 그 셀이 오류 없이 실행되었는지 확인하세요.",
    },
    "student.error": {
        "en": "your code raised an error: {error}",
        "ko": "코드를 실행하다가 오류가 발생했습니다: {error}",
    },
    "student.not_implemented": {
        "en": "`{name}` still raises NotImplementedError: replace `raise NotImplementedError()` with your code",
        "ko": "`{name}`에 아직 `raise NotImplementedError()`가 남아 있습니다. 이 줄을 지우고 직접 작성한 코드로 "
              "바꾸세요.",
    },
    "student.crashed": {
        "en": "your code's process ended while running this test: {reason}",
        "ko": "이 테스트를 실행하는 도중에 코드를 실행하던 프로세스가 종료되었습니다: {reason}",
    },
    "student.timeout": {
        "en": "your code took too long: {reason}. Look for an endless loop or a long sleep.",
        "ko": "코드 실행 시간이 너무 깁니다({reason}). 끝나지 않는 반복문이나 오래 기다리는 `time.sleep`이 "
              "있는지 확인하세요.",
    },
    "student.not_run": {
        "en": "not run: an earlier test of this exercise ended with {status}",
        "ko": "실행하지 않았습니다. 이 문제의 앞선 테스트가 '{status}'{으로/로} 끝났기 때문입니다.",
    },
    "student.unreadable": {
        "en": "your code returned {what}, which the grader cannot read: return arrays, numbers, lists or dicts",
        "ko": "코드가 반환한 {what}{은/는} 채점기가 읽을 수 없습니다. 배열, 숫자, 리스트, 딕셔너리 가운데 하나로 "
              "반환하세요.",
    },
    # Why the student's process ended (the reason of student.crashed and student.timeout, and of a cell).
    "process.deadline": {
        "en": "it did not finish within {seconds:g} s",
        "ko": "{seconds:g}초 안에 끝나지 않았습니다",
    },
    "process.stopped": {"en": "it was stopped by the grader", "ko": "채점기가 프로세스를 멈췄습니다"},
    "process.cpu_time": {
        "en": "it used more than {seconds} s of CPU time",
        "ko": "CPU 시간을 {seconds}초 넘게 썼습니다",
    },
    "process.killed": {
        "en": "it was killed (most often for using too much memory)",
        "ko": "프로세스가 강제로 종료되었습니다(대개 메모리를 너무 많이 썼기 때문입니다)",
    },
    "process.signal": {"en": "it was killed by signal {signal}", "ko": "시그널 {signal}{으로/로} 종료되었습니다"},
    "process.exit_code": {
        "en": "it exited with code {code} (sys.exit or os._exit in your code?)",
        "ko": "종료 코드 {code}{으로/로} 끝났습니다(코드에 `sys.exit`나 `os._exit`가 있나요?)",
    },
    "process.memory_bound": {
        "en": "it was stopped at the memory bound: {gib:g} GiB for all its processes and files together",
        "ko": "메모리 한도에 닿아 멈췄습니다(모든 프로세스와 파일을 합쳐 {gib:g}GiB)",
    },
    "process.out_of_turn": {
        "en": "its process sent a reply out of turn",
        "ko": "프로세스가 순서에 맞지 않는 응답을 보냈습니다",
    },
    "process.unreadable_reply": {
        "en": "its process sent a reply the grader cannot read (was the grader's code inside it changed?)",
        "ko": "프로세스가 채점기가 읽을 수 없는 응답을 보냈습니다(프로세스 안의 채점기 코드를 바꾸지 않았나요?)",
    },
    "process.refused_reply": {
        "en": "its process sent a reply the grader refuses ({reason})",
        "ko": "프로세스가 채점기가 받아들이지 않는 응답을 보냈습니다({reason})",
    },
    "process.gave_up": {
        "en": "the grader gave up after {starts} restarts of your code (each time a cell or a test ended its "
              "process); the remaining tests were not run",
        "ko": "셀이나 테스트가 프로세스를 끝내 버려서 코드를 {starts}번 다시 시작했지만 소용이 없어 채점을 "
              "멈췄습니다. 남은 테스트는 실행하지 않았습니다.",
    },
    "process.budget_spent": {
        "en": "your submission used up its time budget of {seconds:g} s (all its cells and tests, restarts "
              "included); the remaining tests were not run",
        "ko": "제출물에 주어진 시간 {seconds:g}초(모든 셀과 테스트, 다시 시작한 시간 포함)를 다 썼습니다. 남은 "
              "테스트는 실행하지 않았습니다.",
    },
    # A submission that cannot be graded at all.
    "submission.unreadable": {
        "en": "the file could not be read: {reason}",
        "ko": "파일을 읽을 수 없습니다: {reason}",
    },
    "submission.too_large": {
        "en": "the file is larger than {megabytes} MB",
        "ko": "파일이 {megabytes}MB보다 큽니다",
    },
    "submission.file_too_large": {
        "en": "{name} is larger than {megabytes} MB ({size} MB), so it was not read",
        "ko": "{name} 파일이 {megabytes}MB보다 커서({size}MB) 읽지 않았습니다",
    },
    "submission.too_large_without_outputs": {
        "en": "the notebook is larger than {megabytes} MB even without its outputs",
        "ko": "출력을 빼고도 노트북이 {megabytes}MB보다 큽니다",
    },
    "submission.folder": {
        "en": "{name} is a folder, not a file",
        "ko": "{name}{은/는} 파일이 아니라 폴더입니다",
    },
    "submission.link": {
        "en": "{name} is a symbolic link to another file, so it was not read: hand in the file itself",
        "ko": "{name}{은/는} 다른 파일을 가리키는 심볼릭 링크라서 읽지 않았습니다. 파일 자체를 제출하세요",
    },
    "submission.fifo": {
        "en": "{name} is a named pipe (FIFO), not a file",
        "ko": "{name}{은/는} 파일이 아니라 이름 있는 파이프(FIFO)입니다",
    },
    "submission.device": {
        "en": "{name} is a device, not a file",
        "ko": "{name}{은/는} 파일이 아니라 장치입니다",
    },
    "submission.special_file": {
        "en": "{name} is not a regular file",
        "ko": "{name}{은/는} 일반 파일이 아닙니다",
    },
    "submission.other_notebook": {
        "en": "{notebook} was not found, so {name} was graded",
        "ko": "{notebook}{이/가} 없어서 {name}{을/를} 채점했습니다",
    },
    "submission.several_candidates": {
        "en": "{notebook} was not found and there are several candidates ({names}): name the one to grade {notebook}",
        "ko": "{notebook}{이/가} 없고 채점할 후보가 여러 개입니다({names}). 채점받을 파일의 이름을 {notebook}{으로/로} "
              "바꾸세요",
    },
    "submission.no_notebook": {
        "en": "no {notebook} was found (nor any .ipynb or .py file)",
        "ko": "{notebook}{을/를} 찾지 못했습니다(.ipynb나 .py 파일도 없습니다)",
    },
    "submission.unknown_assignment": {
        "en": "which assignment {name} is for cannot be told: put it in nbgrader's layout "
              "(<student>/<assignment>/), name it after its assignment, or grade it with --assignment NAME "
              "(assignments: {known})",
        "ko": "{name}{이/가} 어느 과제의 제출물인지 알 수 없습니다. nbgrader의 폴더 구조(<학생>/<과제>/)에 넣거나, "
              "파일 이름을 과제 이름으로 바꾸거나, --assignment NAME으로 과제를 지정해 채점하세요(과제: {known})",
    },
    "submission.same_id": {
        "en": "several submissions have the same student id ({paths}): keep one",
        "ko": "학생 ID가 같은 제출물이 여러 개입니다({paths}). 하나만 남기세요",
    },
    "submission.not_python": {
        "en": "this file is not readable Python source (`{error}`)",
        "ko": "읽을 수 있는 Python 소스 파일이 아닙니다(`{error}`)",
    },
    "submission.not_a_notebook": {
        "en": "this file is not a readable Jupyter notebook (`{error}`)",
        "ko": "읽을 수 있는 Jupyter 노트북 파일이 아닙니다(`{error}`)",
    },
    # Static rules.
    "forbidden.matrix_product": {
        "en": "`{name}` uses a matrix product ({found}); this exercise asks for one dot product per "
              "(sample, neuron) inside loops",
        "ko": "`{name}`에서 행렬 곱({found})을 썼습니다. 이 문제에서는 반복문 안에서 (샘플, 뉴런) 쌍마다 "
              "내적을 하나씩 계산해야 합니다.",
    },
    "forbidden.keras_layer": {
        "en": "`{name}` uses a Keras layer ({found}); compute the layer by hand here",
        "ko": "`{name}`에서 Keras의 층({found})을 썼습니다. 이 문제에서는 층이 하는 계산을 직접 작성해야 합니다.",
    },
    "forbidden.builtin_sigmoid": {
        "en": "`{name}` calls a ready-made sigmoid ({found}); write it out as 1 / (1 + tf.exp(-z)), "
              "as section 1.2.2 of the notebook shows",
        "ko": "`{name}`에서 내장 sigmoid 함수({found})를 썼습니다. 1.2.2절처럼 `1 / (1 + tf.exp(-z))`를 직접 "
              "작성하세요.",
    },
    "forbidden.no_loop": {
        "en": "`{name}` has no loop; this exercise asks you to loop over samples and neurons",
        "ko": "`{name}`에 반복문이 없습니다. 이 문제에서는 샘플과 뉴런을 반복문으로 하나씩 돌면서 계산해야 합니다.",
    },
    "forbidden.checking_code": {
        "en": "`{name}` uses `course_checks` ({found}), the checking code that came with the notebook for its "
              "test cells. It is not part of an answer: the grader runs your notebook without it, so `{name}` "
              "cannot be graded while it needs it. Write `{name}` without `course_checks`",
        "ko": "`{name}`에서 노트북과 함께 받은 검사 코드인 `course_checks`({found})를 썼습니다. 이 코드는 테스트 "
              "셀에서만 쓰는 것이라 답안에 들어갈 수 없습니다. 채점기는 이 코드 없이 노트북을 실행하므로, "
              "`course_checks`가 있어야 돌아가는 `{name}`{은/는} 채점할 수 없습니다. `course_checks` 없이 "
              "`{name}`{을/를} 작성하세요.",
    },
    "forbidden.no_def": {
        "en": "`{name}` must be written with a `def` statement in your notebook so it can be checked",
        "ko": "`{name}`{은/는} 검사할 수 있도록 노트북 안에서 `def` 문으로 정의해야 합니다.",
    },
    # Shapes and values.
    "result.not_numeric": {
        "en": "{what}: expected an array of numbers, got {got}",
        "ko": "{what}: 숫자 배열을 반환해야 하는데 `{got}`{을/를} 반환했습니다.",
    },
    "result.not_finite": {
        "en": "{what} contains NaN or infinity",
        "ko": "{what}: 결과에 NaN이나 무한대 값이 있습니다.",
    },
    "shape.wrong": {
        "en": "{what}: shape {expected} expected, got {got}",
        "ko": "{what}: 형태가 {expected}{이어야/여야} 하는데 {got}입니다.",
    },
    "shape.transposed": {
        "en": "{what}: shape {expected} expected, got {got}: is W transposed, or are X and W in the wrong order?",
        "ko": "{what}: 형태가 {expected}{이어야/여야} 하는데 {got}입니다. W를 전치했거나 X와 W의 순서를 바꾸지 "
              "않았는지 확인하세요.",
    },
    "shape.squeezed": {
        "en": "{what}: shape {expected} expected, got {got}: keep the batch axis, even when N = 1",
        "ko": "{what}: 형태가 {expected}{이어야/여야} 하는데 {got}입니다. N = 1일 때도 배치 축(첫 번째 축)은 "
              "남겨 두어야 합니다.",
    },
    "value.mismatch": {
        "en": "{what}: values differ from Keras; first difference at {index}, off by {diff:.3g} "
              "({count} of {total} values differ)",
        "ko": "{what}: Keras가 계산한 값과 다릅니다. 처음 어긋나는 곳은 {index}{이고/고} 차이는 {diff:.3g}입니다"
              "(값 {total}개 중 {count}개가 다름).",
    },
    # Known mistakes of a dense layer.
    "dense.missing_bias": {
        "en": "{what}: off by the bias; your output equals activation(X W) without B: add the bias before the activation",
        "ko": "{what}: 편향(B)이 빠졌습니다. 출력이 B 없이 계산한 `activation(X W)`와 같습니다. 활성화 함수를 "
              "적용하기 전에 편향을 더하세요.",
    },
    "dense.missing_activation": {
        "en": "{what}: your output equals the pre-activation z = X W + B: the activation is missing",
        "ko": "{what}: 활성화 함수가 빠졌습니다. 출력이 활성화 전의 값 `z = X W + B`와 같습니다.",
    },
    "dense.wrong_activation": {
        "en": "{what}: your output matches the {used} activation, but {asked} was asked: use the `activation` argument",
        "ko": "{what}: 출력이 {used} 활성화 함수를 적용한 값과 같은데, 요청한 활성화 함수는 {asked}입니다. "
              "`activation` 인자가 가리키는 함수를 적용하세요.",
    },
    "dense.bias_after_activation": {
        "en": "{what}: the bias is added after the activation: compute activation(X W + B)",
        "ko": "{what}: 편향을 활성화 함수 뒤에 더했습니다. `activation(X W + B)`처럼 편향을 먼저 더한 다음 "
              "활성화 함수를 적용하세요.",
    },
    "dense.transposed_weights": {
        "en": "{what}: your output equals X Wᵀ + B: W is transposed; W already has shape (n_feature, n_neuron)",
        "ko": "{what}: 출력이 `X Wᵀ + B`와 같습니다. W를 전치해서 썼는데, W는 처음부터 (n_feature, n_neuron) "
              "형태입니다.",
    },
    "dense.wrong_sum_axis": {
        "en": "{what}: the products are summed over the wrong axis: sum x * w over the features of one sample",
        "ko": "{what}: 곱한 값을 엉뚱한 축으로 더했습니다. 샘플 하나의 특성들에 대해 `x * w`를 더하세요.",
    },
    "dense.sigmoid_sign": {
        "en": "{what}: your sigmoid equals 1 / (1 + exp(z)): the minus sign is missing, write 1 / (1 + exp(-z))",
        "ko": "{what}: 작성한 sigmoid가 `1 / (1 + exp(z))`와 같습니다. 마이너스 부호가 빠졌으니 "
              "`1 / (1 + exp(-z))`로 고치세요.",
    },
    "dense.whole_batch_sum": {
        "en": "{what}: every sample got the same output: the products were summed over the whole batch X; "
              "sum x * w over the features of one sample x = X[i]",
        "ko": "{what}: 모든 샘플의 출력이 똑같습니다. 곱한 값을 미니배치 X 전체에 걸쳐 더했기 때문입니다. "
              "샘플 하나(`x = X[i]`)의 특성들에 대해서만 `x * w`를 더하세요.",
    },
    "dense.incompatible_shapes": {
        "en": "your code raised an error because the shapes do not fit: {error}. Is W transposed, or are X and W "
              "swapped? X is (N, n_feature), W is (n_feature, n_neuron), and the product is X times W, "
              "or x times the column W[:, j]",
        "ko": "형태가 맞지 않아 코드에서 오류가 발생했습니다: {error}. W를 전치했거나 X와 W의 순서를 바꾸지 "
              "않았나요? X는 (N, n_feature), W는 (n_feature, n_neuron) 형태이므로 행렬 곱은 `matmul(X, W)`, "
              "내적은 샘플 x와 열 `W[:, j]`의 내적입니다.",
    },
    "cascade.activation_last_only": {
        "en": "{what}: the activation is applied only after the last layer: every layer needs it",
        "ko": "{what}: 활성화 함수를 마지막 층 뒤에만 적용했습니다. 층마다 적용해야 합니다.",
    },
    "cascade.first_layer_only": {
        "en": "{what}: your output equals the first layer alone: feed each layer's output into the next",
        "ko": "{what}: 출력이 첫 번째 층만 계산한 값과 같습니다. 각 층의 출력을 다음 층의 입력으로 넘기세요.",
    },
    "cascade.input_reused": {
        "en": "{what}: each layer got the original X; feed each layer's output into the next",
        "ko": "{what}: 모든 층에 처음의 X를 그대로 넣었습니다. 각 층의 출력을 다음 층의 입력으로 넘기세요.",
    },
    "cascade.skips_layer": {
        "en": "{what}: your output equals the cascade without layer {layer}: a layer is skipped",
        "ko": "{what}: 출력이 {layer}번째 층을 뺀 캐스케이드의 결과와 같습니다. 건너뛴 층이 있습니다.",
    },
    "cascade.incompatible_shapes": {
        "en": "your code raised an error because the shapes do not fit: {error}. Each layer reads the previous "
              "layer's output (not the original X), multiplied by its W on the right: A = activation(A W + B)",
        "ko": "형태가 맞지 않아 코드에서 오류가 발생했습니다: {error}. 각 층은 처음의 X가 아니라 이전 층의 출력을 "
              "입력으로 받아, 그 오른쪽에 가중치 W를 곱하고 편향을 더한 다음 활성화 함수를 적용합니다: "
              "`A = activation(A W + B)`.",
    },
    # Shape exercises.
    "shapes.not_dict": {
        "en": "{what}: expected a dict with keys {keys}, got {got}",
        "ko": "{what}: 키가 {keys}인 딕셔너리를 반환해야 하는데 `{got}`{을/를} 반환했습니다.",
    },
    "shapes.keys": {
        "en": "{what}: expected keys {keys}, got {got}",
        "ko": "{what}: 딕셔너리의 키가 {keys}{이어야/여야} 하는데 {got}입니다.",
    },
    "shapes.hard_coded": {
        "en": "{what}: {key} is {got} for every input; compute it from the arguments instead of the seed's numbers",
        "ko": "{what}: {key}{이/가} 입력과 상관없이 항상 {got}입니다. 예제의 숫자를 그대로 쓰지 말고 인자로 "
              "계산하세요.",
    },
    "shapes.swapped": {
        "en": "{what}: {key} should be {expected}, got {got}: the two axes are swapped",
        "ko": "{what}: {key}의 형태는 {expected}{이어야/여야} 하는데 {got}입니다. 두 축의 순서가 바뀌었습니다.",
    },
    "shapes.bias_row": {
        "en": "{what}: {key} should be {expected}, got {got}: the bias is a 1-D vector with one value per neuron, "
              "not a row matrix",
        "ko": "{what}: {key}의 형태는 {expected}{이어야/여야} 하는데 {got}입니다. 편향은 행렬이 아니라 뉴런마다 "
              "값이 하나씩 있는 1차원 벡터입니다.",
    },
    "shapes.width_not_chained": {
        "en": "{what}: {key} should be {expected}, got {got}: a layer after the first reads the previous layer's "
              "outputs, so its W has as many rows as that layer has neurons, not n_feature",
        "ko": "{what}: {key}의 형태는 {expected}{이어야/여야} 하는데 {got}입니다. 두 번째 층부터는 이전 층의 "
              "출력을 입력으로 받으므로, W의 행 수는 n_feature가 아니라 이전 층의 뉴런 수입니다.",
    },
    "shapes.wrong": {
        "en": "{what}: {key} should be {expected}, got {got}",
        "ko": "{what}: {key}의 형태는 {expected}{이어야/여야} 하는데 {got}입니다.",
    },
    "shapes.count": {
        "en": "{what}: expected {expected} entries, one per layer, got {got}",
        "ko": "{what}: 층마다 하나씩 항목이 {expected}개 있어야 하는데 {got}개입니다.",
    },
    "shapes.not_list": {
        "en": "{what}: expected a list with one entry per layer, got {got}",
        "ko": "{what}: 층마다 항목이 하나씩 있는 리스트를 반환해야 하는데 `{got}`{을/를} 반환했습니다.",
    },
    # Layers and models.
    "layers.not_list": {
        "en": "{what}: expected a list of Dense layers, got {got}",
        "ko": "{what}: Dense 층을 담은 리스트를 반환해야 하는데 `{got}`{을/를} 반환했습니다.",
    },
    "layers.count": {
        "en": "{what}: expected {expected} layers, one per entry of n_neurons, got {got}",
        "ko": "{what}: n_neurons의 항목마다 층이 하나씩, 모두 {expected}개 있어야 하는데 {got}개입니다.",
    },
    "layers.not_dense": {
        "en": "{what}: layer {index} is a {got}, not a Dense layer",
        "ko": "{what}: {index}번째 층이 Dense 층이 아니라 `{got}`입니다.",
    },
    "layers.units": {
        "en": "{what}: layer {index} has {got} units, n_neurons asks for {expected}",
        "ko": "{what}: {index}번째 층의 뉴런 수(units)가 {got}인데, n_neurons에 따르면 {expected}{이어야/여야} "
              "합니다.",
    },
    "layers.activation": {
        "en": "{what}: layer {index} uses the {got} activation, but {expected} was asked: pass `activation` to Dense",
        "ko": "{what}: {index}번째 층의 활성화 함수가 {got}인데, 요청한 활성화 함수는 {expected}입니다. "
              "Dense에 `activation` 인자를 넘기세요.",
    },
    "layers.not_built": {
        "en": "your code raised an error: {error}. get_weights() returns an empty list for a layer that was never "
              "called: read the weights of the model's own layers, which are built",
        "ko": "코드를 실행하다가 오류가 발생했습니다: {error}. 한 번도 호출되지 않은 층에서 `get_weights()`를 "
              "부르면 빈 리스트가 돌아옵니다. 이미 만들어진 모델 자신의 층에서 가중치를 읽으세요.",
    },
    "layers.shared_object": {
        "en": "{what}: the same Dense object is used for more than one layer: create a new Dense for each",
        "ko": "{what}: 같은 Dense 객체 하나를 여러 층에 썼습니다. 층마다 Dense를 새로 만드세요.",
    },
    "model.not_model": {
        "en": "{what}: expected a {expected}, got {got}",
        "ko": "{what}: `{expected}` 객체여야 하는데 `{got}` 객체입니다.",
    },
    "model.ignores_n_neurons": {
        "en": "{what}: the model has layers of {got} units for n_neurons = {expected}: build the layers from n_neurons",
        "ko": "{what}: n_neurons = {expected}인데 층들의 뉴런 수가 {got}입니다. n_neurons에 맞춰 층을 만드세요.",
    },
    "model.not_cascade": {
        "en": "{what}: the output is not the cascade of the model's own layers, applied in order",
        "ko": "{what}: 출력이 모델 자신의 층들을 차례로 거친 캐스케이드의 결과가 아닙니다.",
    },
    "model.wrong_order": {
        "en": "{what}: the layers are called in a different order than they were created: call them in order",
        "ko": "{what}: 층을 만든 순서와 다른 순서로 호출했습니다. 만든 순서대로 호출하세요.",
    },
    "model.layer_unused": {
        "en": "{what}: layer {index} has no weights: `call` never passed data through it. Run x through every layer",
        "ko": "{what}: {index}번째 층에 가중치가 없습니다. `call`에서 이 층에 데이터를 한 번도 통과시키지 "
              "않았습니다. x가 모든 층을 거치게 하세요.",
    },
    "model.weights_rejected": {
        "en": "{what}: the grader could not set into your layers the weights of the layers n_neurons asks for "
              "(set_weights refused them): make one Dense layer per entry of n_neurons, in order, and run x "
              "through each of them",
        "ko": "{what}: n_neurons가 요구하는 층의 가중치를 채점기가 여러분의 층에 넣지 못했습니다(`set_weights`가 "
              "거부했습니다). n_neurons의 항목마다 Dense 층을 하나씩 순서대로 만들고, x가 모든 층을 거치게 하세요.",
    },
    "model.ignores_weights": {
        "en": "{what}: the output stayed the same when the grader set other weights into the layers: compute with "
              "the Dense layers' current weights (call the layers; keep no copies of their weights, and keep Keras' "
              "own `set_weights`)",
        "ko": "{what}: 채점기가 층에 다른 가중치를 넣었는데도 출력이 그대로입니다. Dense 층의 현재 가중치로 "
              "계산하세요. 층을 직접 호출하고, 가중치의 복사본을 따로 두지 말고, Keras의 `set_weights`를 그대로 두세요.",
    },
    "model.sequential_unused": {
        "en": "{what}: the model holds a Sequential but does not call it in `call`",
        "ko": "{what}: 모델이 Sequential을 갖고 있지만 `call`에서 호출하지 않습니다.",
    },
    "model.no_sequential": {
        "en": "{what}: the model should hold a Sequential and call it",
        "ko": "{what}: 모델 안에 Sequential을 두고 `call`에서 그것을 호출해야 합니다.",
    },
    "variables.count": {
        "en": "{what}: expected {expected} trainable variables, a W and a B for each of its {layers} layers, got {got}",
        "ko": "{what}: 학습 변수는 {expected}개(층 {layers}개마다 가중치와 편향)여야 하는데 {got}개입니다.",
    },
    "feedback.in_cases": {
        "en": "in {count} of {total} cases: {message}",
        "ko": "{total}개 경우 중 {count}개에서: {message}",
    },
    "feedback.in_all_cases_first": {
        "en": "in all {total} cases, the first: {message}",
        "ko": "{total}개 경우 모두에서 같은 문제가 있습니다. 첫 번째 경우: {message}",
    },
    "feedback.in_cases_first": {
        "en": "in {count} of {total} cases, the first: {message}",
        "ko": "{total}개 경우 중 {count}개에서 같은 문제가 있습니다. 첫 번째 경우: {message}",
    },
    # The structure of a model, read from the notebook's source.
    "structure.not_a_class": {
        "en": "`{name}` must be written with a `class` statement in your notebook so it can be checked",
        "ko": "`{name}`{은/는} 검사할 수 있도록 노트북 안에서 `class` 문으로 정의해야 합니다.",
    },
    "structure.not_a_model": {
        "en": "`{name}` must be a subclass of `tf.keras.Model`: write `class {name}(Model):`",
        "ko": "`{name}`{은/는} `tf.keras.Model`을 상속한 클래스여야 합니다. `class {name}(Model):`로 정의하세요.",
    },
    "structure.replaces_keras": {
        "en": "`{name}` replaces methods Keras gives every model (`{found}`); keep Keras' own, the grader uses them",
        "ko": "`{name}`에서 Keras가 모든 모델에 주는 메서드(`{found}`)를 새로 정의했습니다. 채점기가 이 메서드를 "
              "사용하므로 Keras의 것을 그대로 두세요.",
    },
    "structure.no_dense": {
        "en": "`{name}` must create its Dense layers in `__init__`, one per entry of n_neurons",
        "ko": "`{name}`{은/는} `__init__`에서 n_neurons의 항목마다 Dense 층을 하나씩 만들어야 합니다.",
    },
    "structure.no_call": {
        "en": "`{name}` has no `call` method: write `def call(self, x):`, which runs x through the layers",
        "ko": "`{name}`에 `call` 메서드가 없습니다. x가 층들을 거치게 하는 `def call(self, x):`를 정의하세요.",
    },
    "structure.call_runs_nothing": {
        "en": "the `call` of `{name}` never calls the model's layers: run x through each of them in order",
        "ko": "`{name}`의 `call`이 모델의 층을 호출하지 않습니다. x가 각 층을 순서대로 거치게 하세요.",
    },
    "variables.count_not_list": {
        "en": "{what}: expected a list of shapes, one per trainable variable, got {got}: list them, do not count them",
        "ko": "{what}: 학습 변수마다 형태를 하나씩 담은 리스트를 반환해야 하는데 {got}{을/를} 반환했습니다. "
              "개수를 세지 말고 형태를 나열하세요.",
    },
    # The context a message starts with: which call, on what.
    "context.dense_forward": {
        "en": "{name} on X of shape {shape} with {n_neuron} neurons, {activation}",
        "ko": "{name}(X의 형태 {shape}, 뉴런 {n_neuron}개, 활성화 함수 {activation})",
    },
    "context.cascade_forward": {
        "en": "{name} through layers {n_neurons} with {activation}",
        "ko": "{name}(층별 뉴런 수 {n_neurons}, 활성화 함수 {activation})",
    },
    "context.model_of_layers": {
        "en": "{name}(a model of Dense layers {n_neurons})",
        "ko": "{name}(뉴런 수가 {n_neurons}인 Dense 층들의 모델)",
    },
    "context.trainable_variables": {
        "en": "{what}: trainable variables",
        "ko": "{what}의 학습 변수",
    },
    "context.unexpected_answer": {
        "en": "an answer of an unexpected form ({error})",
        "ko": "예상하지 못한 형태의 답({error})",
    },
    # Where in an answer.
    "where.value": {"en": "the value", "ko": "값"},
    "where.row": {"en": "row {row}", "ko": "{row}행"},
    "where.row_column": {"en": "row {row}, column {column}", "ko": "{row}행 {column}열"},
    "where.row_column_depth": {"en": "row {row}, column {column}, depth {depth}",
                               "ko": "{row}행 {column}열의 {depth}번째 값"},
    "where.entry": {"en": "entry {index}", "ko": "{index}번째 항목"},
    "where.layer_weights": {"en": "W of layer {layer}", "ko": "{layer}번째 층의 W"},
    "where.layer_bias": {"en": "B of layer {layer}", "ko": "{layer}번째 층의 B"},
    "where.variable": {"en": "variable {index}", "ko": "{index}번째 학습 변수"},
    # Statuses, as the pages and the command line show them.
    "status.passed": {"en": "passed", "ko": "통과"},
    "status.failed": {"en": "failed", "ko": "오답"},
    "status.error": {"en": "error", "ko": "오류"},
    "status.timeout": {"en": "timeout", "ko": "시간 초과"},
    "status.crashed": {"en": "crashed", "ko": "비정상 종료"},
    "status.forbidden": {"en": "forbidden", "ko": "규칙 위반"},
    "status.missing": {"en": "missing", "ko": "미작성"},
    "status.unreadable": {"en": "unreadable", "ko": "읽을 수 없음"},
    "status.grader_error": {"en": "grader_error", "ko": "채점기 오류"},
    # The end of a batch on the command line.
    "summary.mistakes": {
        "en": "Most common mistakes (exercise, message code, students):",
        "ko": "가장 흔한 실수 (문제, 메시지 코드, 학생 수):",
    },
    "summary.no_mistakes": {
        "en": "No recognised mistakes.",
        "ko": "알려진 실수는 없었습니다.",
    },
    "summary.footer": {
        "en": "{count} submissions graded; per-student feedback is in the JSON files.",
        "ko": "제출물 {count}개를 채점했습니다. 학생별 피드백은 JSON 파일에 있습니다.",
    },
    "summary.student": {"en": "student", "ko": "학생"},
    "summary.total": {"en": "total", "ko": "합계"},
    "summary.kept": {"en": "{student} (kept)", "ko": "{student} (이전 결과 유지)"},
    "command.no_such_path": {
        "en": "error: no such file or folder: {paths}",
        "ko": "오류: 이런 파일이나 폴더가 없습니다: {paths}",
    },
    "command.assignment_batch": {
        "en": "== {assignment}: results in {out}",
        "ko": "== {assignment}: 채점 결과는 {out}에 있습니다",
    },
    "command.results": {
        "en": "results: {out}/<student>.json and {out}/grades.csv",
        "ko": "채점 결과: {out}/<학생>.json, {out}/grades.csv",
    },
    "command.export_csv": {
        "en": "grades in the layout of `nbgrader export`: {path}",
        "ko": "`nbgrader export` 형식의 점수표: {path}",
    },
    "command.gradebook_refused": {
        "en": "error: gradebook not written: {error}",
        "ko": "오류: nbgrader 성적부에 기록하지 않았습니다: {error}",
    },
    "command.gradebook_written": {
        "en": "gradebook: automatic scores written to {url}",
        "ko": "성적부: 자동 채점 점수를 {url}에 기록했습니다.",
    },
    "command.autograded": {
        "en": "autograded notebooks for formgrader and `nbgrader generate_feedback`: {count} in {path}",
        "ko": "formgrader와 `nbgrader generate_feedback`에 쓸 채점된 노트북: {path}에 {count}개",
    },
    "command.class_report": {"en": "class report: {path}", "ko": "전체 결과 보고서: {path}"},
    "command.no_results": {"en": "error: no results in {dir}", "ko": "오류: {dir}에 채점 결과가 없습니다."},
    # `autograder grade --cluster`: the command line's words about the Dask cluster.
    "command.cluster_needs_dask": {
        "en": "error: --cluster needs Dask distributed: pip install '.[cluster]'",
        "ko": "오류: --cluster를 쓰려면 Dask distributed가 있어야 합니다: pip install '.[cluster]'",
    },
    "command.cluster_bad_address": {
        "en": "error: --cluster takes local:N (N at least 1), tls://HOST:PORT or tcp://HOST:PORT, not {address}",
        "ko": "오류: --cluster에는 local:N(N은 1 이상), tls://HOST:PORT, tcp://HOST:PORT 가운데 하나를 주어야 "
              "합니다. 받은 값: {address}",
    },
    "command.cluster_insecure": {
        "en": "error: refusing {address}: tcp:// is neither authenticated nor encrypted, and Dask runs what it "
              "receives, so anyone on the network could run code on this machine and on the workers. Use tls:// "
              "with certificates (see the README), or pass --insecure on a network only you can reach.",
        "ko": "오류: {address}에는 연결하지 않습니다. tcp://는 인증도 암호화도 하지 않고 Dask는 받은 것을 그대로 "
              "실행하므로, 네트워크의 누구든 이 컴퓨터와 워커에서 코드를 실행할 수 있습니다. 인증서를 쓰는 "
              "tls://를 쓰거나(README 참고), 나만 접근할 수 있는 네트워크라면 --insecure를 붙이세요.",
    },
    "command.cluster_unreachable": {
        "en": "error: could not reach the Dask scheduler at {address}: {reason}",
        "ko": "오류: {address}의 Dask 스케줄러에 연결하지 못했습니다: {reason}",
    },
    "command.cluster_no_workers": {
        "en": "error: the Dask cluster at {address} still has no worker after {seconds} s",
        "ko": "오류: {seconds}초를 기다렸지만 {address}의 Dask 클러스터에 워커가 하나도 없습니다.",
    },
    "command.cluster_lost": {
        "en": "error: lost the Dask scheduler at {address} while grading; the results written so far are kept, "
              "and running the same command again resumes",
        "ko": "오류: 채점하는 중에 {address}의 Dask 스케줄러와 연결이 끊겼습니다. 지금까지 저장한 결과는 그대로 "
              "있으니, 같은 명령을 다시 실행하면 이어서 채점합니다.",
    },
    "command.cluster_started": {
        "en": "grading on the Dask cluster at {address}: {workers} workers",
        "ko": "{address}의 Dask 클러스터에서 채점합니다: 워커 {workers}개",
    },
    "command.cluster_worker_unsandboxed": {
        "en": "error: refusing to grade: the Dask worker {worker} has no bubblewrap (bwrap) to make a sandbox. "
              "Install it on every worker (apt-get install bubblewrap), or pass --unsandboxed to accept running "
              "untrusted code there without one.",
        "ko": "오류: 채점하지 않습니다. Dask 워커 {worker}에 bubblewrap(bwrap)이 없어 샌드박스를 만들 수 "
              "없습니다. 모든 워커에 bubblewrap을 설치하거나(apt-get install bubblewrap), 믿을 수 없는 코드를 "
              "샌드박스 없이 실행해도 된다면 --unsandboxed를 붙이세요.",
    },
    "command.cluster_ran_unsandboxed": {
        "en": "WARNING: a Dask worker has no bubblewrap (bwrap): student code ran there WITHOUT a sandbox.",
        "ko": "경고: bubblewrap(bwrap)이 없는 Dask 워커가 있어, 그 워커에서는 학생 코드를 샌드박스 없이 "
              "실행했습니다.",
    },
    "command.no_sandbox": {
        "en": "WARNING: bubblewrap (bwrap) is not available: student code runs WITHOUT a sandbox (in separate "
              "processes and never as root, but able to use the network). {risks}",
        "ko": "경고: bubblewrap(bwrap)을 쓸 수 없어 학생 코드를 샌드박스 없이 실행합니다(프로세스는 따로 띄우고 "
              "root 권한으로 실행하지는 않지만, 네트워크는 쓸 수 있습니다). {risks}",
    },
    "command.unsafe_to_grade": {
        "en": "error: refusing to grade: bubblewrap (bwrap) is not available to make a sandbox, and without one "
              "student code would not be contained here. {risks} Install bubblewrap (apt-get install bubblewrap), "
              "or pass --unsandboxed to accept running untrusted code without a sandbox.",
        "ko": "오류: 채점하지 않습니다. bubblewrap(bwrap)이 없어 샌드박스를 만들 수 없고, 샌드박스 없이는 이 "
              "컴퓨터에서 학생 코드를 가둘 수 없습니다. {risks} bubblewrap을 설치하세요(apt-get install "
              "bubblewrap). 믿을 수 없는 코드를 샌드박스 없이 실행해도 된다면 --unsandboxed를 붙이세요.",
    },
    # What student code could reach without a sandbox (the risks of command.no_sandbox and command.unsafe_to_grade).
    "sandbox.risk_own_user": {
        "en": "Student code would run as your own user, able to rewrite the results and read every file you can.",
        "ko": "학생 코드가 채점하는 사용자와 같은 사용자로 실행되어, 채점 결과를 고쳐 쓰고 그 사용자가 읽을 수 "
              "있는 파일을 모두 읽을 수 있습니다.",
    },
    "sandbox.risk_python_closed": {
        "en": "Python's own files ({path}) are closed to other users, so student code could only run with the "
              "right to read every file on this machine (other submissions, the hidden tests).",
        "ko": "Python 파일({path})을 다른 사용자가 읽을 수 없어서, 학생 코드는 이 컴퓨터의 모든 파일(다른 학생의 "
              "제출물, 숨은 테스트)을 읽을 수 있는 권한으로만 실행할 수 있습니다.",
    },
    "sandbox.risk_course_readable": {
        "en": "The course's files ({path}, the hidden tests among them) are readable by other users.",
        "ko": "과제 파일({path}, 숨은 테스트 포함)을 다른 사용자도 읽을 수 있습니다.",
    },
    "sandbox.risk_submissions_readable": {
        "en": "{path} is readable by other users, so one student's code could read the others' submissions.",
        "ko": "{path}{을/를} 다른 사용자도 읽을 수 있어서, 한 학생의 코드가 다른 학생의 제출물을 읽을 수 있습니다.",
    },
    "sandbox.risk_results_writable": {
        "en": "{path} is writable by other users, so student code could change the results.",
        "ko": "{path}에 다른 사용자도 쓸 수 있어서, 학생 코드가 채점 결과를 바꿀 수 있습니다.",
    },
    "command.out_not_writable": {
        "en": "error: cannot write the results folder {out}: {reason}",
        "ko": "오류: 결과 폴더 {out}에 쓸 수 없습니다: {reason}",
    },
    "command.out_too_small": {
        "en": "error: not enough free space in {out}: {free_kib} KiB free, about {needed_kib} KiB needed for "
              "{count} students; free some space and run again",
        "ko": "오류: {out}에 남은 공간이 부족합니다. {free_kib} KiB가 남았는데 학생 {count}명에 약 {needed_kib} KiB가 "
              "필요합니다. 공간을 확보한 뒤 다시 실행하세요.",
    },
    "command.batch_stopped": {
        "en": "error: grading stopped: cannot write {path}: {reason}; the {kept} results finished are kept in "
              "{out}: run the same command again to finish",
        "ko": "오류: 채점을 멈췄습니다. {path}에 쓸 수 없습니다: {reason}. 끝난 결과 {kept}개는 {out}에 남아 "
              "있으니 같은 명령을 다시 실행해 마저 채점하세요.",
    },
    "command.write_failed": {
        "en": "error: cannot write the reports or the gradebook: {error}",
        "ko": "오류: 보고서나 성적부를 쓸 수 없습니다: {error}",
    },
    "command.grader_errors": {
        "en": "error: the grader failed on {count} submission(s), which have no grade yet (the details are in "
              "their JSON, under grader_error); run the same command again to grade only them:",
        "ko": "오류: 채점기가 제출물 {count}개를 채점하지 못해 아직 점수가 없습니다(자세한 내용은 각 JSON의 "
              "grader_error에 있습니다). 같은 명령을 다시 실행하면 이 제출물만 다시 채점합니다:",
    },
    "command.gradescope_zip": {
        "en": "{out}: {count} files; upload it as the autograder of a Gradescope programming assignment",
        "ko": "{out}: 파일 {count}개. Gradescope 프로그래밍 과제의 자동 채점기(autograder)로 올리세요.",
    },
    # The public tests in the student's notebook (autograder.public).
    "public.passed": {
        "en": "{id}: the public tests pass; worth {score} / {max_score} points if the hidden tests pass too",
        "ko": "{id}: 공개 테스트를 통과했습니다. 숨은 테스트도 통과하면 {score} / {max_score}점입니다.",
    },
    "public.failed": {
        "en": "{id}: the public tests fail; as it stands, about {score} / {max_score} points. The grader would say:",
        "ko": "{id}: 공개 테스트를 통과하지 못했습니다. 지금 상태로는 {score} / {max_score}점 정도입니다. 채점기는 이렇게 말합니다:",
    },
    "public.total": {
        "en": "Public tests: {score} / {max_score} points as it stands; the written question ({manual} points) is "
              "graded by your instructor. The hidden tests run the same checks on more cases.",
        "ko": "공개 테스트 결과 지금 상태로 {score} / {max_score}점입니다. 서술형 문제({manual}점)는 담당 교수자가 "
              "채점합니다. 숨은 테스트는 같은 검사를 더 많은 경우에 돌립니다.",
    },
    # Feedback pages and Gradescope's results.json.
    "feedback.title": {
        "en": "Feedback on {assignment} for {student}",
        "ko": "{student} 학생의 {assignment} 과제 피드백",
    },
    "feedback.total": {
        "en": "Automatic score: {score} / {max_score}",
        "ko": "자동 채점 점수: {score} / {max_score}",
    },
    "feedback.exercise": {"en": "Exercise", "ko": "문제"},
    "feedback.score": {"en": "Score", "ko": "점수"},
    "feedback.status": {"en": "Status", "ko": "결과"},
    "feedback.messages": {"en": "Feedback", "ko": "피드백"},
    "feedback.all_passed": {
        "en": "All tests passed.",
        "ko": "모든 테스트를 통과했습니다.",
    },
    "feedback.cell": {
        "en": "{place} did not run to the end: {message}",
        "ko": "{place}{이/가} 끝까지 실행되지 않았습니다: {message}",
    },
    "feedback.late": {
        "en": "Handed in {late} after the due date ({due} UTC).",
        "ko": "마감 시각({due} UTC)보다 {late} 늦게 제출했습니다.",
    },
    "late.days": {"en": "{count} d", "ko": "{count}일"},
    "late.hours": {"en": "{count} h", "ko": "{count}시간"},
    "late.minutes": {"en": "{count} min", "ko": "{count}분"},
    # Places in the student's notebook (autograder.places).
    "place.section": {"en": "section {section} “{title}”", "ko": "{section}절 “{title}”"},
    "place.top": {"en": "the top of the notebook", "ko": "노트북 맨 앞부분"},
    "place.answer": {"en": "your answer to `{exercise}` in {where}", "ko": "{where}의 `{exercise}` 답안 셀"},
    "place.cell": {"en": "code cell {ordinal} of {where}", "ko": "{where}의 {ordinal}번째 코드 셀"},
    "place.file": {"en": "your file", "ko": "제출한 파일"},
    "place.line": {"en": "(in {place}, line {line})", "ko": "({place} {line}번째 줄)"},
    "feedback.manual": {
        "en": "Graded by hand, not included here: {titles}",
        "ko": "다음 문제는 교수자가 직접 채점하므로 이 점수에 들어 있지 않습니다: {titles}",
    },
    "feedback.section_pointer": {
        "en": "(see section {section} of the notebook, “{title}”)",
        "ko": "(노트북 {section}절 “{title}” 참고)",
    },
    # The class report.
    "report.title": {"en": "Class report: {assignment}", "ko": "{assignment} 과제 전체 결과"},
    "report.overview": {
        "en": "{count} submissions; mean {mean}, lowest {lowest}, highest {highest} of {max_score}",
        "ko": "제출물 {count}개, 평균 {mean}점, 최저 {lowest}점, 최고 {highest}점({max_score}점 만점)",
    },
    "report.scores": {"en": "Score distribution", "ko": "점수 분포"},
    "report.scores_axis": {"en": "automatic score (out of {max_score})", "ko": "자동 채점 점수({max_score}점 만점)"},
    "report.students_axis": {"en": "students", "ko": "학생 수"},
    "report.scores_alt": {"en": "histogram of the automatic scores", "ko": "자동 채점 점수의 히스토그램"},
    "report.pass_rates": {"en": "Pass rate per exercise", "ko": "문제별 만점 비율"},
    "report.pass_rates_axis": {"en": "students with full marks (%)", "ko": "만점을 받은 학생 비율(%)"},
    "report.pass_rates_alt": {"en": "share of students with full marks, per exercise",
                              "ko": "문제마다 만점을 받은 학생의 비율"},
    "report.mistakes": {"en": "Most common mistakes", "ko": "가장 흔한 실수"},
    "report.mistake_code": {"en": "mistake (message code)", "ko": "실수(메시지 코드)"},
    "report.example": {"en": "example message", "ko": "메시지 예시"},
    "report.no_mistakes": {"en": "No recognised mistakes.", "ko": "알려진 실수는 없었습니다."},
    "report.troubles": {"en": "Crashed, timed out or unreadable", "ko": "비정상 종료, 시간 초과, 읽을 수 없는 제출물"},
    "report.what_happened": {"en": "what happened", "ko": "결과"},
    "report.message": {"en": "message", "ko": "메시지"},
    "report.no_troubles": {"en": "None crashed or timed out.", "ko": "비정상 종료되거나 시간을 넘긴 제출물은 없습니다."},
    "report.late": {"en": "Late submissions", "ko": "늦게 낸 제출물"},
    "report.handed_in": {"en": "handed in (UTC)", "ko": "제출 시각(UTC)"},
    "report.due": {"en": "due (UTC)", "ko": "마감 시각(UTC)"},
    "report.late_by": {"en": "late by", "ko": "늦은 시간"},
    # The column of grades.csv: its name says the units its values are in.
    "report.late_by_column": {"en": "late_by (d h min)", "ko": "늦은 시간(일 시간 분)"},
    "report.late_unknown": {"en": "not known (see Needs review)", "ko": "알 수 없음(검토 필요 참고)"},
    "report.review": {"en": "Needs review", "ko": "검토 필요"},
    "report.review_intro": {
        "en": "Code that reaches into the grader or hides itself from reading, and submissions whose timestamp.txt "
              "does not say when they were handed in. These submissions were graded as usual; the flag never "
              "changes a score, it asks a person to look at what is shown below.",
        "ko": "채점기 내부에 손을 대거나 읽히지 않게 숨긴 코드, 그리고 timestamp.txt에 제출 시각이 제대로 적혀 있지 "
              "않은 제출물입니다. 이 제출물도 평소처럼 채점했으며, 이 표시는 점수를 바꾸지 않습니다. 아래 내용을 "
              "사람이 직접 살펴보라는 뜻입니다.",
    },
    "report.review_where": {"en": "where and why", "ko": "위치와 이유"},
    "report.no_review": {"en": "No submission needs review.", "ko": "검토가 필요한 제출물은 없습니다."},
    "review.where": {"en": "cell {cell}, line {line}", "ko": "{cell}번째 셀 {line}번째 줄"},
    "review.sys_modules": {"en": "reaches into sys.modules", "ko": "`sys.modules`에 손을 댑니다"},
    "review.grader_import": {"en": "names the grader's own package", "ko": "채점기 자신의 패키지를 가리킵니다"},
    "review.computed_import": {"en": "imports a module whose name is computed",
                               "ko": "이름을 실행 중에 만들어 모듈을 가져옵니다"},
    "review.built_code": {"en": "runs code built at run time (exec, eval, compile)",
                          "ko": "실행 중에 만든 코드를 실행합니다(`exec`, `eval`, `compile`)"},
    "review.ctypes": {"en": "uses ctypes", "ko": "`ctypes`를 사용합니다"},
    "review.gc_objects": {"en": "searches the interpreter's objects (gc)",
                          "ko": "인터프리터의 객체를 뒤져 봅니다(`gc`)"},
    "review.frames": {"en": "inspects frames or function internals",
                      "ko": "프레임이나 함수 내부를 들여다봅니다"},
    "review.raw_fds": {"en": "uses raw file descriptors or the grader's socket",
                       "ko": "파일 디스크립터나 채점기의 소켓을 직접 사용합니다"},
    "review.replaces_keras": {"en": "a model replaces Keras methods the grader uses",
                              "ko": "모델이 채점기가 사용하는 Keras 메서드를 새로 정의합니다"},
    "review.ignores_weights": {"en": "a model's output ignored the weights the grader set",
                               "ko": "모델의 출력이 채점기가 넣은 가중치를 무시했습니다"},
    "review.unreadable_timestamp": {
        "en": "does not say when it was handed in, so whether it was late is not known and no late penalty was "
              "applied: check when it was handed in",
        "ko": "제출 시각이 제대로 적혀 있지 않아 늦게 냈는지 알 수 없고, 그래서 지각 감점을 하지 않았습니다. 제출 "
              "시각을 확인하세요",
    },
    "report.no_late": {"en": "None was handed in late.", "ko": "마감 뒤에 낸 제출물은 없습니다."},
    "report.students": {"en": "Students", "ko": "학생별 점수"},
    "report.student": {"en": "student", "ko": "학생"},
    "report.students_count": {"en": "students", "ko": "학생 수"},
    "report.exercise": {"en": "exercise", "ko": "문제"},
    "report.score": {"en": "score", "ko": "점수"},
    "gradescope.failed": {
        "en": "The autograder could not grade this submission: {reason}. Your score is 0 for now; "
              "tell your instructor, who can see the details.",
        "ko": "자동 채점기가 이 제출물을 채점하지 못했습니다: {reason}. 지금은 0점으로 기록됩니다. 자세한 내용은 "
              "담당 교수자가 확인할 수 있으니 알려 주세요.",
    },
    "gradescope.unsafe": {
        "en": "The autograder could not grade this submission safely: its image cannot keep student code in a "
              "sandbox, so none of your code was run. Your instructor must fix the autograder's image and grade "
              "the submissions again; until then the score shown here is not your grade.",
        "ko": "자동 채점기가 이 제출물을 안전하게 채점할 수 없었습니다. 채점 환경이 학생 코드를 샌드박스 안에 "
              "가둘 수 없어서 코드를 하나도 실행하지 않았습니다. 담당 교수자가 자동 채점기 환경을 고친 뒤 다시 "
              "채점해야 하며, 그때까지 여기 보이는 점수는 실제 점수가 아닙니다.",
    },
    "gradescope.no_submission": {
        "en": "no .ipynb or .py file was found in your submission",
        "ko": "제출물에서 .ipynb나 .py 파일을 찾지 못했습니다",
    },
    "grader.error": {
        "en": "The grader could not finish grading this submission. This is not a mistake in your work: "
              "your instructor has the details and will grade it again.",
        "ko": "채점기가 이 제출물의 채점을 끝내지 못했습니다. 여러분의 코드 문제가 아닙니다: "
              "담당 교수자가 자세한 내용을 확인하고 다시 채점할 것입니다.",
    },
    "gradescope.internal": {
        "en": "the grader itself failed ({error})",
        "ko": "채점기 자체에 문제가 생겼습니다({error})",
    },
}

# Codes an assignment added (its own `grading/messages.py`, see `autograder.assignments`): they are about the
# course's content, so their messages send the student back to the exercise's section.
ASSIGNMENT_CODES: set[str] = set()


def add_messages(messages: dict[str, dict[str, str]]) -> None:
    """An assignment's own messages join the catalog; a code may not change what the catalog already says."""
    for code, templates in messages.items():
        if set(templates) != set(LANGUAGES):
            raise ValueError(f"message {code!r} must be written in {', '.join(LANGUAGES)}")
        if MESSAGES.get(code, templates) != templates:
            raise ValueError(f"message {code!r} is already in the catalog, worded otherwise")
    MESSAGES.update(messages)
    ASSIGNMENT_CODES.update(messages)


def is_particle(name: str) -> bool:
    """A blank such as `{이/가}` is a Korean particle, not a parameter."""
    return "/" in name


def blanks(template: str) -> set[str]:
    """The parameters a template needs (particles are not parameters)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name and not is_particle(name)}


def fill(template: str, params: dict, lang: str) -> str:
    """template with its blanks filled; Phrases rendered in lang, particles chosen by the text before them."""
    out = ""
    for literal, name, spec, conversion in string.Formatter().parse(template):
        out += literal
        if name is None:
            continue
        if is_particle(name):
            out += particle(out, name)
            continue
        value = params[name]
        if isinstance(value, Phrase):
            value = render(value.code, value.params, lang)
        if conversion:
            value = {"r": repr, "s": str, "a": ascii}[conversion](value)
        out += format(value, spec or "")
    return out


def render(code: str, params: dict, lang: str = DEFAULT_LANGUAGE) -> str:
    """The text of a message; unknown parameters are shown as they are."""
    templates = MESSAGES.get(code)
    if templates is None:
        return f"{code}: {params}"
    template = templates.get(lang) or templates["en"]
    try:
        return fill(template, params, lang)
    except (KeyError, IndexError, ValueError, TypeError):
        return f"{template} {params}"


def as_text(value, lang: str = DEFAULT_LANGUAGE) -> str:
    """A value that may be a Phrase, as text in lang."""
    return render(value.code, value.params, lang) if isinstance(value, Phrase) else str(value)


def section_pointer(exercise, lang: str = DEFAULT_LANGUAGE) -> str:
    """Where in the notebook the student finds what a message about this exercise is about."""
    title = exercise.section_title_ko if lang == "ko" and exercise.section_title_ko else exercise.section_title
    return render("feedback.section_pointer", {"section": exercise.section, "title": title}, lang)


def status_label(status: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A status as a page shows it: `timeout` is 시간 초과 in Korean."""
    return render(f"status.{status}", {}, lang) if f"status.{status}" in MESSAGES else status


def exercise_title(exercise, lang: str = DEFAULT_LANGUAGE) -> str:
    return exercise.title_ko if lang == "ko" and exercise.title_ko else exercise.title
