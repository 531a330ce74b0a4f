"""Every message the grader can give, by stable code, in English and Korean.

Checks raise a code with parameters; the text is chosen here, at the last moment, in the
language the course asked for. Results keep the code beside the text so an instructor can
count mistakes across a class.
"""

from __future__ import annotations

import os

LANGUAGES = ("en", "ko")
DEFAULT_LANGUAGE = os.environ.get("AUTOGRADER_LANG", "en")

MESSAGES: dict[str, dict[str, str]] = {
    # The student's code did not answer.
    "student.missing": {
        "en": "`{name}` is not defined: did its cell run without errors?",
        "ko": "`{name}`이(가) 정의되어 있지 않습니다: 해당 셀이 오류 없이 실행되었나요?",
    },
    "student.error": {
        "en": "your code raised an error: {error}",
        "ko": "코드에서 오류가 발생했습니다: {error}",
    },
    "student.not_implemented": {
        "en": "`{name}` still raises NotImplementedError: replace `raise NotImplementedError()` with your code",
        "ko": "`{name}`이(가) 아직 NotImplementedError를 발생시킵니다: `raise NotImplementedError()`를 여러분의 코드로 바꾸세요",
    },
    "student.crashed": {
        "en": "your code's process ended while running this test: {reason}",
        "ko": "이 테스트를 실행하는 동안 코드의 프로세스가 종료되었습니다: {reason}",
    },
    "student.timeout": {
        "en": "your code took too long: {reason}. Look for an endless loop or a long sleep.",
        "ko": "코드 실행 시간이 너무 깁니다: {reason}. 무한 루프나 긴 sleep이 있는지 확인하세요.",
    },
    "student.not_run": {
        "en": "not run: an earlier test of this exercise ended with {status}",
        "ko": "실행하지 않음: 이 문제의 앞선 테스트가 {status}(으)로 끝났습니다",
    },
    "student.unreadable": {
        "en": "your code returned {what}, which the grader cannot read: return arrays, numbers, lists or dicts",
        "ko": "코드가 반환한 {what}을(를) 채점기가 읽을 수 없습니다: 배열, 숫자, 리스트 또는 dict를 반환하세요",
    },
    # Static rules.
    "forbidden.matrix_product": {
        "en": "`{name}` uses a matrix product ({found}); this exercise asks for one dot product per "
              "(sample, neuron) inside loops",
        "ko": "`{name}`에서 행렬곱({found})을 사용했습니다; 이 문제는 반복문 안에서 (샘플, 뉴런)마다 "
              "내적 하나를 계산해야 합니다",
    },
    "forbidden.keras_layer": {
        "en": "`{name}` uses a Keras layer ({found}); compute the layer by hand here",
        "ko": "`{name}`에서 Keras layer({found})를 사용했습니다; 여기서는 직접 계산해야 합니다",
    },
    "forbidden.builtin_sigmoid": {
        "en": "`{name}` calls a ready-made sigmoid ({found}); write it out as 1 / (1 + tf.exp(-z)), "
              "as section 1.2.2 of the notebook shows",
        "ko": "`{name}`에서 이미 만들어진 sigmoid({found})를 호출했습니다; 노트북의 1.2.2절처럼 "
              "1 / (1 + tf.exp(-z))로 직접 작성하세요",
    },
    "forbidden.no_loop": {
        "en": "`{name}` has no loop; this exercise asks you to loop over samples and neurons",
        "ko": "`{name}`에 반복문이 없습니다; 샘플과 뉴런에 대해 반복문을 사용해야 합니다",
    },
    "forbidden.no_def": {
        "en": "`{name}` must be written with a `def` statement in your notebook so it can be checked",
        "ko": "검사할 수 있도록 `{name}`을(를) 노트북 안에서 `def` 문으로 작성해야 합니다",
    },
    # Shapes and values.
    "result.not_numeric": {
        "en": "{what}: expected an array of numbers, got {got}",
        "ko": "{what}: 숫자 배열이 필요한데 {got}을(를) 받았습니다",
    },
    "result.not_finite": {
        "en": "{what} contains NaN or infinity",
        "ko": "{what}에 NaN 또는 무한대 값이 있습니다",
    },
    "shape.wrong": {
        "en": "{what}: shape {expected} expected, got {got}",
        "ko": "{what}: shape {expected}이(가) 필요한데 {got}입니다",
    },
    "shape.transposed": {
        "en": "{what}: shape {expected} expected, got {got}: is W transposed, or are X and W in the wrong order?",
        "ko": "{what}: shape {expected}이(가) 필요한데 {got}입니다: W가 전치되었거나 X와 W의 순서가 바뀌지 않았나요?",
    },
    "shape.squeezed": {
        "en": "{what}: shape {expected} expected, got {got}: keep the batch axis, even when N = 1",
        "ko": "{what}: shape {expected}이(가) 필요한데 {got}입니다: N = 1일 때도 batch 축을 유지하세요",
    },
    "value.mismatch": {
        "en": "{what}: values differ from Keras; first difference at {index}, off by {diff:.3g} "
              "({count} of {total} values differ)",
        "ko": "{what}: Keras와 값이 다릅니다; 첫 차이는 {index}에서 {diff:.3g}만큼 ({total}개 중 {count}개가 다름)",
    },
    # Known mistakes of a dense layer.
    "dense.missing_bias": {
        "en": "{what}: off by the bias; your output equals activation(X W) without B: add the bias before the activation",
        "ko": "{what}: bias만큼 다릅니다; 출력이 B 없이 계산한 activation(X W)와 같습니다: activation 전에 bias를 더하세요",
    },
    "dense.missing_activation": {
        "en": "{what}: your output equals the pre-activation z = X W + B: the activation is missing",
        "ko": "{what}: 출력이 activation 이전 값 z = X W + B와 같습니다: activation이 빠졌습니다",
    },
    "dense.wrong_activation": {
        "en": "{what}: your output matches the {used} activation, but {asked} was asked: use the `activation` argument",
        "ko": "{what}: 출력이 {used} activation과 일치하지만 {asked}이(가) 요청되었습니다: `activation` 인자를 사용하세요",
    },
    "dense.bias_after_activation": {
        "en": "{what}: the bias is added after the activation: compute activation(X W + B)",
        "ko": "{what}: bias를 activation 뒤에 더했습니다: activation(X W + B)를 계산하세요",
    },
    "dense.transposed_weights": {
        "en": "{what}: your output equals X Wᵀ + B: W is transposed; W already has shape (n_feature, n_neuron)",
        "ko": "{what}: 출력이 X Wᵀ + B와 같습니다: W가 전치되었습니다; W의 shape은 이미 (n_feature, n_neuron)입니다",
    },
    "dense.wrong_sum_axis": {
        "en": "{what}: the products are summed over the wrong axis: sum x * w over the features of one sample",
        "ko": "{what}: 곱을 잘못된 축으로 더했습니다: 한 샘플의 feature들에 대해 x * w를 더하세요",
    },
    "dense.sigmoid_sign": {
        "en": "{what}: your sigmoid equals 1 / (1 + exp(z)): the minus sign is missing, write 1 / (1 + exp(-z))",
        "ko": "{what}: sigmoid가 1 / (1 + exp(z))와 같습니다: 마이너스 부호가 빠졌습니다, 1 / (1 + exp(-z))로 쓰세요",
    },
    "dense.whole_batch_sum": {
        "en": "{what}: every sample got the same output: the products were summed over the whole batch X; "
              "sum x * w over the features of one sample x = X[i]",
        "ko": "{what}: 모든 샘플의 출력이 같습니다: 곱을 batch X 전체에 대해 더했습니다; "
              "샘플 하나 x = X[i]의 feature들에 대해 x * w를 더하세요",
    },
    "dense.incompatible_shapes": {
        "en": "your code raised an error because the shapes do not fit: {error}. Is W transposed, or are X and W "
              "swapped? X is (N, n_feature), W is (n_feature, n_neuron), and the product is X times W, "
              "or x times the column W[:, j]",
        "ko": "shape이 맞지 않아 코드에서 오류가 발생했습니다: {error}. W가 전치되었거나 X와 W의 순서가 바뀌지 "
              "않았나요? X는 (N, n_feature), W는 (n_feature, n_neuron)이며 곱은 X 곱하기 W, "
              "또는 x 곱하기 열 W[:, j]입니다",
    },
    "cascade.activation_last_only": {
        "en": "{what}: the activation is applied only after the last layer: every layer needs it",
        "ko": "{what}: activation을 마지막 layer 뒤에만 적용했습니다: 모든 layer에 적용해야 합니다",
    },
    "cascade.first_layer_only": {
        "en": "{what}: your output equals the first layer alone: feed each layer's output into the next",
        "ko": "{what}: 출력이 첫 번째 layer만 계산한 값과 같습니다: 각 layer의 출력을 다음 layer의 입력으로 넣으세요",
    },
    "cascade.input_reused": {
        "en": "{what}: each layer got the original X; feed each layer's output into the next",
        "ko": "{what}: 모든 layer에 원래 X를 넣었습니다; 각 layer의 출력을 다음 layer에 넣으세요",
    },
    "cascade.skips_layer": {
        "en": "{what}: your output equals the cascade without layer {layer}: a layer is skipped",
        "ko": "{what}: 출력이 layer {layer}을(를) 뺀 cascade와 같습니다: layer 하나를 건너뛰었습니다",
    },
    "cascade.incompatible_shapes": {
        "en": "your code raised an error because the shapes do not fit: {error}. Each layer reads the previous "
              "layer's output (not the original X), multiplied by its W on the right: A = activation(A W + B)",
        "ko": "shape이 맞지 않아 코드에서 오류가 발생했습니다: {error}. 각 layer는 원래 X가 아니라 이전 layer의 "
              "출력을 입력으로 받고, W를 오른쪽에 곱합니다: A = activation(A W + B)",
    },
    # Shape exercises.
    "shapes.not_dict": {
        "en": "{what}: expected a dict with keys {keys}, got {got}",
        "ko": "{what}: {keys} key를 가진 dict가 필요한데 {got}을(를) 받았습니다",
    },
    "shapes.keys": {
        "en": "{what}: expected keys {keys}, got {got}",
        "ko": "{what}: {keys} key가 필요한데 {got}입니다",
    },
    "shapes.hard_coded": {
        "en": "{what}: {key} is {got} for every input; compute it from the arguments instead of the seed's numbers",
        "ko": "{what}: {key}이(가) 입력과 관계없이 {got}입니다; 예제의 숫자 대신 인자로 계산하세요",
    },
    "shapes.swapped": {
        "en": "{what}: {key} should be {expected}, got {got}: the two axes are swapped",
        "ko": "{what}: {key}은(는) {expected}이어야 하는데 {got}입니다: 두 축이 바뀌었습니다",
    },
    "shapes.bias_row": {
        "en": "{what}: {key} should be {expected}, got {got}: the bias is a 1-D vector with one value per neuron, "
              "not a row matrix",
        "ko": "{what}: {key}은(는) {expected}이어야 하는데 {got}입니다: bias는 행렬이 아니라 뉴런마다 값 하나인 "
              "1차원 벡터입니다",
    },
    "shapes.width_not_chained": {
        "en": "{what}: {key} should be {expected}, got {got}: a layer after the first reads the previous layer's "
              "outputs, so its W has as many rows as that layer has neurons, not n_feature",
        "ko": "{what}: {key}은(는) {expected}이어야 하는데 {got}입니다: 첫 layer 이후의 layer는 이전 layer의 출력을 "
              "읽으므로 W의 행 수는 n_feature가 아니라 이전 layer의 뉴런 수입니다",
    },
    "shapes.wrong": {
        "en": "{what}: {key} should be {expected}, got {got}",
        "ko": "{what}: {key}은(는) {expected}이어야 하는데 {got}입니다",
    },
    "shapes.count": {
        "en": "{what}: expected {expected} entries, one per layer, got {got}",
        "ko": "{what}: layer마다 하나씩 {expected}개가 필요한데 {got}개입니다",
    },
    # Layers and models.
    "layers.not_list": {
        "en": "{what}: expected a list of Dense layers, got {got}",
        "ko": "{what}: Dense layer의 list가 필요한데 {got}을(를) 받았습니다",
    },
    "layers.count": {
        "en": "{what}: expected {expected} layers, one per entry of n_neurons, got {got}",
        "ko": "{what}: n_neurons의 항목마다 하나씩 {expected}개의 layer가 필요한데 {got}개입니다",
    },
    "layers.not_dense": {
        "en": "{what}: layer {index} is a {got}, not a Dense layer",
        "ko": "{what}: layer {index}이(가) Dense가 아니라 {got}입니다",
    },
    "layers.units": {
        "en": "{what}: layer {index} has {got} units, n_neurons asks for {expected}",
        "ko": "{what}: layer {index}의 unit 수가 {got}인데 n_neurons는 {expected}입니다",
    },
    "layers.activation": {
        "en": "{what}: layer {index} uses the {got} activation, but {expected} was asked: pass `activation` to Dense",
        "ko": "{what}: layer {index}의 activation이 {got}인데 {expected}이(가) 요청되었습니다: Dense에 `activation`을 넘기세요",
    },
    "layers.not_built": {
        "en": "your code raised an error: {error}. get_weights() returns an empty list for a layer that was never "
              "called: read the weights of the model's own layers, which are built",
        "ko": "코드에서 오류가 발생했습니다: {error}. 한 번도 호출되지 않은 layer의 get_weights()는 빈 list를 "
              "반환합니다: 이미 build된 모델 자신의 layer에서 weight를 읽으세요",
    },
    "layers.shared_object": {
        "en": "{what}: the same Dense object is used for more than one layer: create a new Dense for each",
        "ko": "{what}: 같은 Dense 객체를 여러 layer에 사용했습니다: layer마다 새 Dense를 만드세요",
    },
    "model.not_model": {
        "en": "{what}: expected a {expected}, got {got}",
        "ko": "{what}: {expected}이(가) 필요한데 {got}을(를) 받았습니다",
    },
    "model.ignores_n_neurons": {
        "en": "{what}: the model has layers of {got} units for n_neurons = {expected}: build the layers from n_neurons",
        "ko": "{what}: n_neurons = {expected}인데 layer의 unit 수가 {got}입니다: n_neurons로 layer를 만드세요",
    },
    "model.not_cascade": {
        "en": "{what}: the output is not the cascade of the model's own layers, applied in order",
        "ko": "{what}: 출력이 모델 자신의 layer들을 순서대로 적용한 결과가 아닙니다",
    },
    "model.wrong_order": {
        "en": "{what}: the layers are called in a different order than they were created: call them in order",
        "ko": "{what}: layer들을 만든 순서와 다른 순서로 호출했습니다: 순서대로 호출하세요",
    },
    "model.layer_unused": {
        "en": "{what}: layer {index} has no weights: `call` never passed data through it. Run x through every layer",
        "ko": "{what}: layer {index}에 weight가 없습니다: `call`에서 이 layer에 데이터를 통과시키지 않았습니다. "
              "모든 layer에 x를 통과시키세요",
    },
    "model.sequential_unused": {
        "en": "{what}: the model holds a Sequential but does not call it in `call`",
        "ko": "{what}: 모델이 Sequential을 가지고 있지만 `call`에서 호출하지 않습니다",
    },
    "model.no_sequential": {
        "en": "{what}: the model should hold a Sequential and call it",
        "ko": "{what}: 모델이 Sequential을 가지고 호출해야 합니다",
    },
    "variables.count": {
        "en": "{what}: expected {expected} trainable variables, a W and a B for each of its {layers} layers, got {got}",
        "ko": "{what}: layer {layers}개마다 W와 B가 하나씩이므로 trainable variable이 {expected}개여야 하는데 {got}개입니다",
    },
    "feedback.in_cases": {
        "en": "in {count} of {total} cases: {message}",
        "ko": "{total}개 중 {count}개 경우: {message}",
    },
    "feedback.in_all_cases_first": {
        "en": "in all {total} cases, the first: {message}",
        "ko": "{total}개 경우 모두, 그 첫 번째: {message}",
    },
    "feedback.in_cases_first": {
        "en": "in {count} of {total} cases, the first: {message}",
        "ko": "{total}개 중 {count}개 경우, 그 첫 번째: {message}",
    },
    "variables.count_not_list": {
        "en": "{what}: expected a list of shapes, one per trainable variable, got {got}: list them, do not count them",
        "ko": "{what}: trainable variable마다 shape 하나씩 담은 list가 필요한데 {got}입니다: 개수가 아니라 목록을 반환하세요",
    },
    "summary.mistakes": {
        "en": "Most common mistakes (exercise, message code, students):",
        "ko": "가장 흔한 실수 (문제, 메시지 코드, 학생 수):",
    },
    "summary.no_mistakes": {
        "en": "No recognised mistakes.",
        "ko": "알려진 실수가 없습니다.",
    },
    "summary.footer": {
        "en": "{count} submissions graded; per-student feedback is in the JSON files.",
        "ko": "제출물 {count}개 채점 완료; 학생별 피드백은 JSON 파일에 있습니다.",
    },
    # The public tests in the student's notebook (autograder.public).
    "public.passed": {
        "en": "{id}: the public tests pass; worth {score} / {max_score} points if the hidden tests pass too",
        "ko": "{id}: 공개 테스트를 통과했습니다; 숨겨진 테스트도 통과하면 {score} / {max_score}점입니다",
    },
    "public.failed": {
        "en": "{id}: the public tests fail; as it stands, about {score} / {max_score} points. The grader would say:",
        "ko": "{id}: 공개 테스트를 통과하지 못했습니다; 지금 상태로는 약 {score} / {max_score}점입니다. 채점기의 메시지:",
    },
    "public.total": {
        "en": "Public tests: {score} / {max_score} points as it stands; the written question ({manual} points) is "
              "graded by your instructor. The hidden tests run the same checks on more cases.",
        "ko": "공개 테스트: 지금 상태로 {score} / {max_score}점; 서술형 문제({manual}점)는 담당 교수자가 채점합니다. "
              "숨겨진 테스트는 같은 검사를 더 많은 경우에 실행합니다.",
    },
    # Feedback pages and Gradescope's results.json.
    "feedback.title": {
        "en": "Feedback on {assignment} for {student}",
        "ko": "{student}의 {assignment} 피드백",
    },
    "feedback.total": {
        "en": "Automatic score: {score} / {max_score}",
        "ko": "자동 채점 점수: {score} / {max_score}",
    },
    "feedback.exercise": {"en": "Exercise", "ko": "문제"},
    "feedback.score": {"en": "Score", "ko": "점수"},
    "feedback.status": {"en": "Status", "ko": "상태"},
    "feedback.messages": {"en": "Feedback", "ko": "피드백"},
    "feedback.all_passed": {
        "en": "All tests passed.",
        "ko": "모든 테스트를 통과했습니다.",
    },
    "feedback.cell": {
        "en": "{place} did not run to the end: {message}",
        "ko": "{place}이(가) 끝까지 실행되지 않았습니다: {message}",
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
        "ko": "직접 채점하며 여기에는 포함되지 않음: {titles}",
    },
    "gradescope.failed": {
        "en": "The autograder could not grade this submission: {reason}. Your score is 0 for now; "
              "tell your instructor, who can see the details.",
        "ko": "자동 채점기가 이 제출물을 채점하지 못했습니다: {reason}. 현재 점수는 0점입니다; "
              "자세한 내용을 볼 수 있는 담당 교수자에게 알려 주세요.",
    },
    "gradescope.no_submission": {
        "en": "no .ipynb or .py file was found in your submission",
        "ko": "제출물에서 .ipynb 또는 .py 파일을 찾지 못했습니다",
    },
    "gradescope.internal": {
        "en": "the grader itself failed ({error})",
        "ko": "채점기 자체에 오류가 발생했습니다 ({error})",
    },
}

SEE_SECTION = {
    "en": "(see section {section} of the notebook, “{title}”)",
    "ko": "(노트북의 {section}절 “{title}” 참고)",
}


def render(code: str, params: dict, lang: str = DEFAULT_LANGUAGE) -> str:
    """The text of a message; unknown parameters are shown as they are."""
    templates = MESSAGES.get(code)
    if templates is None:
        return f"{code}: {params}"
    template = templates.get(lang) or templates["en"]
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return f"{template} {params}"


def section_pointer(section: str, title: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """Where in the notebook the student finds what a message is about."""
    return (SEE_SECTION.get(lang) or SEE_SECTION["en"]).format(section=section, title=title)
